/*
 * Network modes of vmnetrank-collect: http, tcp and tcp-sink.
 *
 * The HTTP client is our own, about 300 lines: Debian's libcurl only
 * links statically together with OpenSSL, nghttp2, libidn2, libpsl and
 * more, which defeats a static, libc-only collector.  It speaks just what
 * timing a GET needs: HTTP/1.1, keep-alive or a connection per request,
 * Content-Length, chunked or read-to-close bodies, 1xx interim answers.
 *
 * Names are resolved once, before the first operation: resolving is not
 * what is measured.  Sockets are blocking with SO_RCVTIMEO/SO_SNDTIMEO
 * as the timeout (no poll call per read); TCP_NODELAY on kept-alive
 * connections.
 */
#define _GNU_SOURCE /* memmem */
#include "collect.h"
#include "../lib/diag.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IOBUF (256 * 1024)
#define MAX_HEADER (64 * 1024)

/* ---- addresses and connections ---- */

struct peer {
	struct sockaddr_storage addr;
	socklen_t len;
	char shown[300]; /* "host:port", for messages */
};

/* Split "HOST:PORT" or "[V6]:PORT" (HOST may be empty when ALLOW_EMPTY). */
static int split_hostport(const char *s, char *host, size_t hcap, char *port,
			  size_t pcap, int allow_empty)
{
	const char *colon;
	size_t hl;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		hl = (size_t)(close - s - 1);
		if (hl >= hcap)
			return -1;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon) {
			if (!allow_empty)
				return -1;
			host[0] = '\0';
			colon = s - 1; /* the whole string is the port */
		} else {
			hl = (size_t)(colon - s);
			if (hl >= hcap)
				return -1;
			memcpy(host, s, hl);
			host[hl] = '\0';
		}
	}
	if (strlen(colon + 1) >= pcap || !colon[1])
		return -1;
	strcpy(port, colon + 1);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	if (atol(port) > 65535)
		return -1;
	if (!allow_empty && !host[0])
		return -1;
	return 0;
}

static int resolve(const char *host, const char *port, int passive,
		   struct peer *pr)
{
	struct addrinfo hints, *res = NULL;
	int e;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	e = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (e != 0 || !res) {
		diag(DIAG_ERROR, "cannot resolve '%s': %s", host,
		     e ? gai_strerror(e) : "no address");
		return -1;
	}
	memcpy(&pr->addr, res->ai_addr, res->ai_addrlen);
	pr->len = res->ai_addrlen;
	freeaddrinfo(res);
	snprintf(pr->shown, sizeof pr->shown, "%s:%s", host, port);
	return 0;
}

static void set_timeouts(int fd, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (ms <= 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* A connected socket, or -1 with the failure in R. */
static int connect_peer(const struct peer *pr, long timeout_ms, int nodelay,
			struct op_result *r)
{
	int one = 1;
	int fd = socket(pr->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		result_errno(r, "socket", errno);
		return -1;
	}
	/* a reused connection needs it (a request must not wait for the
	 * ACK of the last one); a fresh one sends its request in one
	 * segment anyway, and every system call counts at 10k ops/s */
	if (nodelay)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	set_timeouts(fd, timeout_ms);
	if (connect(fd, (const struct sockaddr *)&pr->addr, pr->len) == 0)
		return fd;
	if (errno == EINTR) {
		/* a signal: the connection goes on; wait for it */
		struct pollfd p = { fd, POLLOUT, 0 };
		int err = 0;
		socklen_t el = sizeof err;
		int k;

		do
			k = poll(&p, 1, timeout_ms > 0 ? (int)timeout_ms : -1);
		while (k < 0 && errno == EINTR && !collect_abort);
		if (k == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 &&
		    err == 0)
			return fd;
		errno = k == 0 ? ETIMEDOUT : err ? err : errno;
	}
	result_errno(r, NULL, errno);
	close(fd);
	return -1;
}

/* send() all of BUF; 0, or -1 with errno. */
static int send_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, buf, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR && !collect_abort)
			continue;
		if (k <= 0)
			return -1;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/* recv() once, retrying after a signal; bytes, 0 at EOF, -1 with errno. */
static ssize_t recv_some(int fd, char *buf, size_t cap)
{
	ssize_t k;

	do
		k = recv(fd, buf, cap, 0);
	while (k < 0 && errno == EINTR && !collect_abort);
	return k;
}

/* ---- http ---- */

struct http {
	struct peer peer;
	char *req;
	size_t reqlen;
	int fd;
	char *buf;
	/* --timeout bounds the whole operation: its deadline, and the
	 * SO_RCVTIMEO now set on fd (shortened near the deadline) */
	int64_t deadline_ns;
	long rcv_ms;
	/* --expect: the tail of the body so far, to find TEXT across reads */
	char *win;
	const char *pat;
	size_t explen, winlen;
	int found;
};

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* recv() within the operation's deadline: a server that trickles bytes
 * (or never stops) cannot stretch an operation past --timeout.  The
 * socket's SO_RCVTIMEO is the silence bound; once less than that is left,
 * it is cut to what is left.  -1 with errno ETIMEDOUT at the deadline. */
static ssize_t http_recv(struct http *h, char *buf, size_t cap)
{
	ssize_t k;

	if (h->deadline_ns) {
		int64_t left = h->deadline_ns - now_ns();
		long ms;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		ms = (long)((left + 999999) / 1000000);
		if (ms < h->rcv_ms) {
			set_timeouts(h->fd, ms);
			h->rcv_ms = ms;
		}
	}
	k = recv_some(h->fd, buf, cap);
	if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		errno = ETIMEDOUT;
	return k;
}

enum body { B_NONE, B_LENGTH, B_CHUNKED, B_EOF };

struct chunker {
	enum { C_SIZE, C_EXT, C_DATA, C_DATA_END, C_TRAILER, C_DONE } st;
	uint64_t n;
	int digits, linelen;
};

static void expect_feed(struct http *h, const char *s, size_t n)
{
	size_t keep = h->explen - 1;

	if (!h->win || h->found)
		return;
	while (n > 0) {
		size_t take = n > IOBUF ? IOBUF : n;

		memcpy(h->win + h->winlen, s, take);
		h->winlen += take;
		if (memmem(h->win, h->winlen, h->pat, h->explen)) {
			h->found = 1;
			return;
		}
		if (h->winlen > keep) {
			memmove(h->win, h->win + h->winlen - keep, keep);
			h->winlen = keep;
		}
		s += take;
		n -= take;
	}
}

/* Feed body bytes through the chunked decoder; 0, 1 when the body ended
 * (*used says how much was consumed), -1 on a framing error. */
static int chunk_feed(struct http *h, struct chunker *c, const char *s,
		      size_t n, size_t *used)
{
	size_t i = 0;

	while (i < n && c->st != C_DONE) {
		char ch = s[i];

		switch (c->st) {
		case C_SIZE:
		case C_EXT:
			if (ch == '\n') {
				if (!c->digits)
					return -1;
				c->st = c->n ? C_DATA : C_TRAILER;
				c->linelen = 0;
			} else if (c->st == C_SIZE && ch != '\r') {
				int d = (ch >= '0' && ch <= '9')   ? ch - '0'
					: (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
					: (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
								   : -1;

				if (d < 0) {
					if (ch != ';' && ch != ' ' && ch != '\t')
						return -1;
					c->st = C_EXT;
				} else {
					if (c->n >> 56)
						return -1;
					c->n = c->n * 16 + (uint64_t)d;
					c->digits++;
				}
			}
			i++;
			break;
		case C_DATA: {
			size_t m = n - i;

			if (m > c->n)
				m = (size_t)c->n;
			expect_feed(h, s + i, m);
			c->n -= m;
			i += m;
			if (c->n == 0)
				c->st = C_DATA_END;
			break;
		}
		case C_DATA_END:
			if (ch == '\n') {
				c->st = C_SIZE;
				c->n = 0;
				c->digits = 0;
			} else if (ch != '\r') {
				return -1;
			}
			i++;
			break;
		case C_TRAILER:
			if (ch == '\n') {
				if (c->linelen == 0)
					c->st = C_DONE;
				c->linelen = 0;
			} else if (ch != '\r') {
				c->linelen++;
			}
			i++;
			break;
		case C_DONE:
			break;
		}
	}
	*used = i;
	return c->st == C_DONE ? 1 : 0;
}

/* Does header line [s, s+n) name NAME?  Then *val is its value. */
static int header_is(const char *s, size_t n, const char *name,
		     const char **val, size_t *vlen)
{
	size_t k = strlen(name);

	if (n <= k || s[k] != ':' || strncasecmp(s, name, k) != 0)
		return 0;
	s += k + 1;
	n -= k + 1;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	*val = s;
	*vlen = n;
	return 1;
}

static int has_token(const char *v, size_t n, const char *tok)
{
	size_t k = strlen(tok);

	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(v + i, tok, k) == 0)
			return 1;
	return 0;
}

/*
 * Read one response on h->fd.  0: read completely (status in R: ok,
 * http-NNN, expect-missing); 1: the connection was closed before any byte
 * (a stale keep-alive connection: the caller may retry once); -1: failed
 * (R says why).  *keep says whether the connection may be reused.
 */
static int read_response(struct collector *c, struct http *h,
			 struct op_result *r, int *keep)
{
	size_t have = 0, hdr_end = 0;
	int64_t total = 0; /* bytes of this response received so far */
	int64_t body_bytes = 0;
	int code = 0, minor = 1, close_hdr = 0, keepalive_hdr = 0, interim = 0;
	int lengths = 0;
	enum body body = B_EOF;
	uint64_t clen = 0;
	ssize_t k;

	*keep = 0;
	h->winlen = 0;
	h->found = 0;
	for (;;) {
		/* the header block (a 1xx may have left the next one here) */
		char *end = have ? memmem(h->buf, have, "\r\n\r\n", 4) : NULL;

		while (!end) {
			if (have >= MAX_HEADER) {
				result_status(r, "bad-response");
				return -1;
			}
			k = http_recv(h, h->buf + have, IOBUF - have);
			if (k == 0) {
				r->bytes = total + (int64_t)have;
				if (have == 0 && total == 0)
					return 1;
				result_status(r, "closed");
				return -1;
			}
			if (k < 0) {
				r->bytes = total + (int64_t)have;
				if (errno == ECONNRESET && have == 0 && total == 0)
					return 1; /* as closed, for the retry */
				result_errno(r, NULL, errno);
				return -1;
			}
			have += (size_t)k;
			end = memmem(h->buf, have, "\r\n\r\n", 4);
		}
		hdr_end = (size_t)(end - h->buf) + 4;
		if (have < 12 || memcmp(h->buf, "HTTP/1.", 7) != 0 ||
		    h->buf[8] != ' ' || h->buf[9] < '1' || h->buf[9] > '5' ||
		    h->buf[10] < '0' || h->buf[10] > '9' || h->buf[11] < '0' ||
		    h->buf[11] > '9') {
			r->bytes = total + (int64_t)have;
			result_status(r, "bad-response");
			return -1;
		}
		minor = h->buf[7] - '0';
		code = (h->buf[9] - '0') * 100 + (h->buf[10] - '0') * 10 +
		       (h->buf[11] - '0');
		if (code >= 200)
			break;
		/* 1xx: an interim answer; the real one follows (a server
		 * sending them without end is broken) */
		if (++interim > 16) {
			r->bytes = total + (int64_t)have;
			result_status(r, "bad-response");
			return -1;
		}
		total += (int64_t)hdr_end;
		memmove(h->buf, h->buf + hdr_end, have - hdr_end);
		have -= hdr_end;
	}
	for (const char *s = memchr(h->buf, '\n', hdr_end);
	     s && (size_t)(s - h->buf) + 1 < hdr_end;) {
		const char *line = s + 1;
		const char *nl = memchr(line, '\n', hdr_end - (size_t)(line - h->buf));
		size_t n = nl ? (size_t)(nl - line) : 0;
		const char *v;
		size_t vl;

		if (!nl)
			break;
		if (header_is(line, n, "Content-Length", &v, &vl)) {
			char num[24];

			/* two lengths: which one frames the body is
			 * ambiguous (request smuggling's trick) */
			if (vl == 0 || vl >= sizeof num || ++lengths > 1) {
				result_status(r, "bad-response");
				return -1;
			}
			memcpy(num, v, vl);
			num[vl] = '\0';
			if (strspn(num, "0123456789") != vl) {
				result_status(r, "bad-response");
				return -1;
			}
			errno = 0;
			clen = strtoull(num, NULL, 10);
			if (errno == ERANGE) {
				result_status(r, "bad-response");
				return -1;
			}
			if (body != B_CHUNKED)
				body = B_LENGTH;
		} else if (header_is(line, n, "Transfer-Encoding", &v, &vl)) {
			if (has_token(v, vl, "chunked"))
				body = B_CHUNKED;
		} else if (header_is(line, n, "Connection", &v, &vl)) {
			if (has_token(v, vl, "close"))
				close_hdr = 1;
			if (has_token(v, vl, "keep-alive"))
				keepalive_hdr = 1;
		}
		s = nl;
	}
	if (code == 204 || code == 304)
		body = B_NONE;
	if (body == B_LENGTH && c->max_body && clen > (uint64_t)c->max_body) {
		r->bytes = total + (int64_t)have;
		result_status(r, "too-large");
		return -1;
	}
	total += (int64_t)hdr_end; /* the body is counted as it is used */
	{
		size_t extra = have - hdr_end; /* body bytes already here */
		const char *p = h->buf + hdr_end;
		struct chunker ch = { C_SIZE, 0, 0, 0 };
		int done = 0, leftover = 0;

		for (;;) {
			if (body == B_NONE) {
				done = 1;
				leftover = extra > 0;
			} else if (body == B_LENGTH) {
				size_t m = extra > clen ? (size_t)clen : extra;

				expect_feed(h, p, m);
				clen -= m;
				body_bytes += (int64_t)m;
				leftover = extra > m;
				done = clen == 0;
			} else if (body == B_CHUNKED) {
				size_t used = 0;
				int st = chunk_feed(h, &ch, p, extra, &used);

				body_bytes += (int64_t)used;
				if (st < 0) {
					r->bytes = total + body_bytes;
					result_status(r, "bad-chunk");
					return -1;
				}
				done = st == 1;
				leftover = used < extra;
			} else {
				expect_feed(h, p, extra);
				body_bytes += (int64_t)extra;
			}
			if (done)
				break;
			/* the framing bytes of chunks count too: an endless
			 * trailer is as endless as a body */
			if (c->max_body && body_bytes > c->max_body) {
				r->bytes = total + body_bytes;
				result_status(r, "too-large");
				return -1;
			}
			k = http_recv(h, h->buf, IOBUF);
			if (k == 0) {
				if (body == B_EOF) {
					close_hdr = 1;
					break;
				}
				r->bytes = total + body_bytes;
				result_status(r, "closed");
				return -1;
			}
			if (k < 0) {
				r->bytes = total + body_bytes;
				result_errno(r, NULL, errno);
				return -1;
			}
			p = h->buf;
			extra = (size_t)k;
		}
		/* headers and body: bytes after the response are not its */
		r->bytes = total + body_bytes;
		/* bytes after the response: the server is out of step */
		*keep = !leftover && !close_hdr && !c->connect_each &&
			(minor >= 1 || keepalive_hdr);
	}
	if (code != 200)
		result_status(r, "http-%d", code);
	else if (h->win && !h->found)
		result_status(r, "expect-missing");
	else
		result_status(r, "ok");
	return 0;
}

static int http_setup(struct collector *c)
{
	struct http *h = calloc(1, sizeof *h);
	const char *u = c->target, *hp, *path;
	char host[256], port[8] = "80", hostport[300];
	size_t hl;

	if (!h)
		return 1;
	c->state = h;
	h->fd = -1;
	if (strncasecmp(u, "https://", 8) == 0) {
		diag(DIAG_USAGE,
		     "http '%s': plain HTTP only (https would time the TLS "
		     "library, and a static collector has none)",
		     u);
		return 2;
	}
	if (strncasecmp(u, "http://", 7) != 0) {
		diag(DIAG_USAGE,
		     "http '%s': expected a URL http://HOST[:PORT][/PATH]", u);
		return 2;
	}
	hp = u + 7;
	path = strchr(hp, '/');
	hl = path ? (size_t)(path - hp) : strlen(hp);
	if (!path)
		path = "/";
	if (hl == 0) {
		diag(DIAG_USAGE, "http '%s': expected a host after http://", u);
		return 2;
	}
	if (hl >= sizeof hostport) {
		diag(DIAG_USAGE,
		     "http: the host of '%.60s...' is %zu characters (expected "
		     "at most 253, as DNS allows, and a port)",
		     u, hl);
		return 2;
	}
	memcpy(hostport, hp, hl);
	hostport[hl] = '\0';
	if (strchr(hostport, '@')) {
		diag(DIAG_USAGE, "http '%s': user:password@ is not supported",
		     u);
		return 2;
	}
	{
		/* the host's own length, before its port: DNS allows 253 */
		const char *end = hostport[0] == '[' ? strchr(hostport, ']')
						     : strrchr(hostport, ':');
		size_t name = end ? (size_t)(end - hostport) : hl;

		name -= hostport[0] == '[' && name > 0;
		if (name > 253) {
			diag(DIAG_USAGE,
			     "http: the host of '%.60s...' is %zu characters "
			     "(expected at most 253, as DNS allows)",
			     u, name);
			return 2;
		}
	}
	if ((hostport[0] == '[' && strstr(hostport, "]:")) ||
	    (hostport[0] != '[' && strchr(hostport, ':'))) {
		if (split_hostport(hostport, host, sizeof host, port,
				   sizeof port, 0) != 0) {
			diag(DIAG_USAGE,
			     "http '%s': expected HOST:PORT with a port from 0 "
			     "to 65535",
			     u);
			return 2;
		}
	} else {
		size_t n = strlen(hostport);
		if (hostport[0] == '[') {
			if (hostport[n - 1] != ']' || n < 3) {
				diag(DIAG_USAGE, "http '%s': bad IPv6 address", u);
				return 2;
			}
			memcpy(host, hostport + 1, n - 2);
			host[n - 2] = '\0';
		} else {
			memcpy(host, hostport, n + 1);
		}
	}
	for (const char *s = path; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			diag(DIAG_USAGE,
			     "http '%s': the path holds a space or control "
			     "character (percent-encode it)",
			     u);
			return 2;
		}
	if (resolve(host, port, 0, &h->peer) != 0)
		return 1;
	h->req = malloc(strlen(path) + strlen(hostport) + 160);
	h->buf = malloc(IOBUF);
	if (!h->req || !h->buf)
		return 1;
	h->reqlen = (size_t)sprintf(h->req,
				    "GET %s HTTP/1.1\r\nHost: %s\r\n"
				    "User-Agent: vmnetrank-collect/%s\r\n"
				    "Accept: */*\r\n%s\r\n",
				    path, hostport, VMNETRANK_VERSION,
				    c->connect_each ? "Connection: close\r\n"
						    : "");
	if (c->expect) {
		h->pat = c->expect;
		h->explen = strlen(c->expect);
		/* the tail that could start TEXT, then one read */
		h->win = malloc(h->explen + IOBUF);
		if (!h->win)
			return 1;
	}
	return 0;
}

static void http_close(struct http *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

static void http_op(struct collector *c, long rep, long seq, int warmup,
		    struct op_result *r)
{
	struct http *h = c->state;
	int tries = 0, keep = 0;

	(void)rep;
	(void)seq;
	(void)warmup;
	h->deadline_ns = c->timeout_ms > 0 ? now_ns() + c->timeout_ms * 1000000LL : 0;
	for (;;) {
		int reused = h->fd >= 0, st;

		if (!reused) {
			h->fd = connect_peer(&h->peer, c->timeout_ms, !c->connect_each, r);
			if (h->fd < 0)
				return;
			h->rcv_ms = c->timeout_ms > 0 ? c->timeout_ms : LONG_MAX;
		} else if (c->timeout_ms > 0 && h->rcv_ms != c->timeout_ms) {
			/* cut short near the last operation's deadline */
			set_timeouts(h->fd, c->timeout_ms);
			h->rcv_ms = c->timeout_ms;
		}
		if (send_all(h->fd, h->req, h->reqlen) != 0) {
			int e = errno;

			http_close(h);
			if (reused && tries++ == 0)
				continue; /* a stale keep-alive connection */
			result_errno(r, NULL, e);
			return;
		}
		st = read_response(c, h, r, &keep);
		if (st == 1 && reused && tries++ == 0) {
			http_close(h); /* closed while idle: once more */
			continue;
		}
		if (st == 1)
			result_status(r, "closed");
		break;
	}
	if (!keep)
		http_close(h);
}

static void http_teardown(struct collector *c)
{
	struct http *h = c->state;

	if (!h)
		return;
	http_close(h);
	free(h->req);
	free(h->buf);
	free(h->win);
	free(h);
	c->state = NULL;
}

const struct mode mode_http = {
	"http", "URL",
	"an HTTP/1.1 GET of URL per operation (keep-alive, or "
	"--connect-each)",
	http_setup, http_op, NULL, http_teardown, NULL,
};

/* ---- tcp: stream N bytes to a tcp-sink, which acknowledges them ---- */

struct tcp {
	struct peer peer;
	char *buf;
};

static int tcp_setup(struct collector *c)
{
	struct tcp *t = calloc(1, sizeof *t);
	char host[256], port[8];

	if (!t)
		return 1;
	c->state = t;
	if (split_hostport(c->target, host, sizeof host, port, sizeof port,
			   0) != 0) {
		diag(DIAG_USAGE, "tcp '%s': expected HOST:PORT", c->target);
		return 2;
	}
	if (c->tcp_bytes <= 0) {
		diag(DIAG_USAGE, "tcp: expected --bytes N (more than 0)");
		return 2;
	}
	if (resolve(host, port, 0, &t->peer) != 0)
		return 1;
	t->buf = malloc(IOBUF);
	if (!t->buf)
		return 1;
	/* not all zeros, in case something on the path compresses */
	for (size_t i = 0; i < IOBUF; i++)
		t->buf[i] = (char)(i * 2654435761u >> 24);
	return 0;
}

static void tcp_op(struct collector *c, long rep, long seq, int warmup,
		   struct op_result *r)
{
	struct tcp *t = c->state;
	int64_t left = c->tcp_bytes;
	char ack[32];
	size_t got = 0;
	int fd;

	(void)rep;
	(void)seq;
	(void)warmup;
	fd = connect_peer(&t->peer, c->timeout_ms, 0, r);
	if (fd < 0)
		return;
	r->bytes = 0;
	while (left > 0) {
		size_t n = left > IOBUF ? IOBUF : (size_t)left;

		if (send_all(fd, t->buf, n) != 0) {
			result_errno(r, NULL, errno);
			close(fd);
			return;
		}
		left -= (int64_t)n;
		r->bytes += (int64_t)n;
	}
	shutdown(fd, SHUT_WR);
	/* the sink answers with the count it received, then closes */
	for (;;) {
		ssize_t k = recv_some(fd, ack + got, sizeof ack - 1 - got);

		if (k < 0) {
			result_errno(r, "ack", errno);
			close(fd);
			return;
		}
		if (k == 0 || (got += (size_t)k) >= sizeof ack - 1)
			break;
	}
	close(fd);
	ack[got] = '\0';
	if (got == 0)
		result_status(r, "no-ack");
	else if (strtoll(ack, NULL, 10) != c->tcp_bytes)
		result_status(r, "short-ack");
	else
		result_status(r, "ok");
}

static void tcp_teardown(struct collector *c)
{
	struct tcp *t = c->state;

	if (t)
		free(t->buf);
	free(t);
	c->state = NULL;
}

const struct mode mode_tcp = {
	"tcp", "HOST:PORT",
	"stream --bytes N to a tcp-sink per operation, timed until it "
	"acknowledges them",
	tcp_setup, tcp_op, NULL, tcp_teardown, NULL,
};

/* ---- tcp-sink ---- */

static int sink_run(struct collector *c)
{
	char host[256], port[8];
	struct peer pr;
	struct sockaddr_storage sa;
	socklen_t sl = sizeof sa;
	char shown[INET6_ADDRSTRLEN + 8];
	char *buf;
	int fd, one = 1;
	long conns = 0;
	long long total = 0;

	if (split_hostport(c->target, host, sizeof host, port, sizeof port,
			   1) != 0) {
		diag(DIAG_USAGE,
		     "tcp-sink '%s': expected [HOST:]PORT (PORT 0: any free "
		     "port)",
		     c->target);
		return 2;
	}
	if (resolve(host[0] ? host : "0.0.0.0", port, 1, &pr) != 0)
		return 1;
	buf = malloc(IOBUF);
	fd = socket(pr.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!buf || fd < 0) {
		diag(DIAG_ERROR, "tcp-sink: socket: %s", strerror(errno));
		free(buf);
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&pr.addr, pr.len) != 0 ||
	    listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		diag(DIAG_ERROR, "tcp-sink: cannot listen on %s: %s", pr.shown,
		     strerror(errno));
		close(fd);
		free(buf);
		return 1;
	}
	if (sa.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&sa;

		inet_ntop(AF_INET6, &a->sin6_addr, shown, sizeof shown);
		fprintf(stderr, "vmnetrank-collect: tcp-sink: listening on [%s]:%u\n",
			shown, ntohs(a->sin6_port));
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&sa;

		inet_ntop(AF_INET, &a->sin_addr, shown, sizeof shown);
		fprintf(stderr, "vmnetrank-collect: tcp-sink: listening on %s:%u\n",
			shown, ntohs(a->sin_port));
	}
	fflush(stderr);
	while (!collect_stop) {
		int cfd = accept(fd, NULL, NULL);
		long long n = 0;
		char ack[32];
		int len;

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			diag(DIAG_ERROR, "tcp-sink: accept: %s", strerror(errno));
			break;
		}
		set_timeouts(cfd, c->timeout_ms > 0 ? c->timeout_ms : 30000);
		for (;;) {
			ssize_t k = recv_some(cfd, buf, IOBUF);

			if (k <= 0)
				break;
			n += k;
		}
		len = snprintf(ack, sizeof ack, "%lld\n", n);
		send_all(cfd, ack, (size_t)len);
		close(cfd);
		conns++;
		total += n;
	}
	close(fd);
	free(buf);
	fprintf(stderr, "vmnetrank-collect: tcp-sink: %ld connections, %lld "
			"bytes\n",
		conns, total);
	return 0;
}

const struct mode mode_tcp_sink = {
	"tcp-sink", "[HOST:]PORT",
	"the receiving end of tcp: counts what each connection sends and "
	"acknowledges it (runs until SIGINT/SIGTERM)",
	NULL, NULL, NULL, NULL, sink_run,
};
