/*
 * The http mode of vmnetrank-collect.
 *
 * The HTTP client is our own, about 300 lines: Debian's libcurl only
 * links statically together with OpenSSL, nghttp2, libidn2, libpsl and
 * more, which defeats a static, libc-only collector.  It speaks just what
 * timing a GET needs: HTTP/1.1, keep-alive or a connection per request,
 * Content-Length, chunked or read-to-close bodies, 1xx interim answers.
 */
#define _GNU_SOURCE /* memmem */
#include "collect_net.h"
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

#define MAX_HEADER (64 * 1024)

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
			net_set_timeouts(h->fd, ms);
			h->rcv_ms = ms;
		}
	}
	k = net_recv_some(h->fd, buf, cap);
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
		if (net_split_hostport(hostport, host, sizeof host, port,
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
	if (net_resolve(host, port, 0, &h->peer) != 0)
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
			h->fd = net_connect(&h->peer, c->timeout_ms, !c->connect_each, r);
			if (h->fd < 0)
				return;
			h->rcv_ms = c->timeout_ms > 0 ? c->timeout_ms : LONG_MAX;
		} else if (c->timeout_ms > 0 && h->rcv_ms != c->timeout_ms) {
			/* cut short near the last operation's deadline */
			net_set_timeouts(h->fd, c->timeout_ms);
			h->rcv_ms = c->timeout_ms;
		}
		if (net_send_all(h->fd, h->req, h->reqlen) != 0) {
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
