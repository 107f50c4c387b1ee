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
#include <sys/epoll.h>
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
	struct pool *pool; /* --concurrency: the clients (the first's) */
};

/* recv() within the operation's deadline: a server that trickles bytes
 * (or never stops) cannot stretch an operation past --timeout.  The
 * socket's SO_RCVTIMEO is the silence bound; once less than that is left,
 * it is cut to what is left.  -1 with errno ETIMEDOUT at the deadline. */
static ssize_t http_recv(struct http *h, char *buf, size_t cap)
{
	ssize_t k;

	if (h->deadline_ns) {
		int64_t left = h->deadline_ns - collect_mono_ns();
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

static struct pool *pool_new(struct collector *c);
static void pool_free(struct pool *P);

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
 * One response, read incrementally: resp_begin(), then for each recv()
 * into resp_space() resp_feed() with what it returned, until that says
 * the response is over.  The blocking client (read_response) and the
 * --concurrency event loop both read through it.
 */
enum { RESP_MORE, RESP_DONE, RESP_STALE, RESP_FAIL };

struct resp {
	size_t have;           /* header bytes in h->buf, before the body */
	int in_body, leftover;
	int64_t total;         /* bytes of this response used so far */
	int64_t body_bytes;
	int code, minor, close_hdr, keepalive_hdr, interim, lengths;
	enum body body;
	uint64_t clen;
	struct chunker ch;
};

static void resp_begin(struct http *h, struct resp *s)
{
	memset(s, 0, sizeof *s);
	s->minor = 1;
	s->body = B_EOF;
	s->ch.st = C_SIZE;
	h->winlen = 0;
	h->found = 0;
}

/* Where the next recv() goes, and how much it may take. */
static char *resp_space(struct http *h, const struct resp *s, size_t *cap)
{
	if (s->in_body) {
		*cap = IOBUF;
		return h->buf;
	}
	*cap = IOBUF - s->have;
	return h->buf + s->have;
}

/* The response is over: its bytes, its status, whether to keep the
 * connection. */
static int resp_end(struct collector *c, struct http *h, struct resp *s,
		    struct op_result *r, int *keep)
{
	/* headers and body: bytes after the response are not its */
	r->bytes = s->total + s->body_bytes;
	/* bytes after the response: the server is out of step */
	*keep = !s->leftover && !s->close_hdr && !c->connect_each &&
		(s->minor >= 1 || s->keepalive_hdr);
	if (s->code != 200)
		result_status(r, "http-%d", s->code);
	else if (h->win && !h->found)
		result_status(r, "expect-missing");
	else
		result_status(r, "ok");
	return RESP_DONE;
}

/* Body bytes [p, p+extra) arrived. */
static int resp_body(struct collector *c, struct http *h, struct resp *s,
		     struct op_result *r, int *keep, const char *p,
		     size_t extra)
{
	int done = 0;

	if (s->body == B_NONE) {
		done = 1;
		s->leftover = extra > 0;
	} else if (s->body == B_LENGTH) {
		size_t m = extra > s->clen ? (size_t)s->clen : extra;

		expect_feed(h, p, m);
		s->clen -= m;
		s->body_bytes += (int64_t)m;
		s->leftover = extra > m;
		done = s->clen == 0;
	} else if (s->body == B_CHUNKED) {
		size_t used = 0;
		int st = chunk_feed(h, &s->ch, p, extra, &used);

		s->body_bytes += (int64_t)used;
		if (st < 0) {
			r->bytes = s->total + s->body_bytes;
			result_status(r, "bad-chunk");
			return RESP_FAIL;
		}
		done = st == 1;
		s->leftover = used < extra;
	} else {
		expect_feed(h, p, extra);
		s->body_bytes += (int64_t)extra;
	}
	if (done)
		return resp_end(c, h, s, r, keep);
	/* the framing bytes of chunks count too: an endless trailer is as
	 * endless as a body */
	if (c->max_body && s->body_bytes > c->max_body) {
		r->bytes = s->total + s->body_bytes;
		result_status(r, "too-large");
		return RESP_FAIL;
	}
	return RESP_MORE;
}

/* The header block [h->buf, h->buf + hdr_end) of a final answer. */
static int resp_headers(struct collector *c, struct http *h, struct resp *s,
			struct op_result *r, size_t hdr_end)
{
	for (const char *p = memchr(h->buf, '\n', hdr_end);
	     p && (size_t)(p - h->buf) + 1 < hdr_end;) {
		const char *line = p + 1;
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
			if (vl == 0 || vl >= sizeof num || ++s->lengths > 1) {
				result_status(r, "bad-response");
				return RESP_FAIL;
			}
			memcpy(num, v, vl);
			num[vl] = '\0';
			if (strspn(num, "0123456789") != vl) {
				result_status(r, "bad-response");
				return RESP_FAIL;
			}
			errno = 0;
			s->clen = strtoull(num, NULL, 10);
			if (errno == ERANGE) {
				result_status(r, "bad-response");
				return RESP_FAIL;
			}
			if (s->body != B_CHUNKED)
				s->body = B_LENGTH;
		} else if (header_is(line, n, "Transfer-Encoding", &v, &vl)) {
			if (has_token(v, vl, "chunked"))
				s->body = B_CHUNKED;
		} else if (header_is(line, n, "Connection", &v, &vl)) {
			if (has_token(v, vl, "close"))
				s->close_hdr = 1;
			if (has_token(v, vl, "keep-alive"))
				s->keepalive_hdr = 1;
		}
		p = nl;
	}
	if (s->code == 204 || s->code == 304)
		s->body = B_NONE;
	if (s->body == B_LENGTH && c->max_body &&
	    s->clen > (uint64_t)c->max_body) {
		r->bytes = s->total + (int64_t)s->have;
		result_status(r, "too-large");
		return RESP_FAIL;
	}
	return RESP_MORE;
}

/*
 * K bytes arrived at resp_space() (0: the peer closed; -1: recv() failed
 * with ERR).  RESP_MORE: read again; RESP_DONE: read completely (status
 * in R: ok, http-NNN, expect-missing; *keep: whether the connection may
 * be reused); RESP_STALE: the connection was closed before any byte (a
 * stale keep-alive connection: the caller may retry once); RESP_FAIL: R
 * says why.
 */
static int resp_feed(struct collector *c, struct http *h, struct resp *s,
		     struct op_result *r, int *keep, ssize_t k, int err)
{
	*keep = 0;
	if (s->in_body) {
		if (k == 0) {
			if (s->body == B_EOF) {
				s->close_hdr = 1;
				return resp_end(c, h, s, r, keep);
			}
			r->bytes = s->total + s->body_bytes;
			result_status(r, "closed");
			return RESP_FAIL;
		}
		if (k < 0) {
			r->bytes = s->total + s->body_bytes;
			result_errno(r, NULL, err);
			return RESP_FAIL;
		}
		return resp_body(c, h, s, r, keep, h->buf, (size_t)k);
	}
	if (k == 0 || k < 0) {
		r->bytes = s->total + (int64_t)s->have;
		if (s->have == 0 && s->total == 0 &&
		    (k == 0 || err == ECONNRESET))
			return RESP_STALE; /* reset counts as closed */
		if (k == 0)
			result_status(r, "closed");
		else
			result_errno(r, NULL, err);
		return RESP_FAIL;
	}
	s->have += (size_t)k;
	for (;;) {
		/* the header block (a 1xx may have left the next one here) */
		char *end = memmem(h->buf, s->have, "\r\n\r\n", 4);
		size_t hdr_end;
		int st;

		if (!end) {
			if (s->have >= MAX_HEADER) {
				r->bytes = s->total + (int64_t)s->have;
				result_status(r, "bad-response");
				return RESP_FAIL;
			}
			return RESP_MORE;
		}
		hdr_end = (size_t)(end - h->buf) + 4;
		if (s->have < 12 || memcmp(h->buf, "HTTP/1.", 7) != 0 ||
		    h->buf[8] != ' ' || h->buf[9] < '1' || h->buf[9] > '5' ||
		    h->buf[10] < '0' || h->buf[10] > '9' || h->buf[11] < '0' ||
		    h->buf[11] > '9') {
			r->bytes = s->total + (int64_t)s->have;
			result_status(r, "bad-response");
			return RESP_FAIL;
		}
		s->minor = h->buf[7] - '0';
		s->code = (h->buf[9] - '0') * 100 + (h->buf[10] - '0') * 10 +
			  (h->buf[11] - '0');
		if (s->code < 200) {
			/* 1xx: an interim answer; the real one follows (a
			 * server sending them without end is broken) */
			if (++s->interim > 16) {
				r->bytes = s->total + (int64_t)s->have;
				result_status(r, "bad-response");
				return RESP_FAIL;
			}
			s->total += (int64_t)hdr_end;
			memmove(h->buf, h->buf + hdr_end, s->have - hdr_end);
			s->have -= hdr_end;
			continue;
		}
		st = resp_headers(c, h, s, r, hdr_end);
		if (st != RESP_MORE)
			return st;
		/* the body is counted as it is used */
		s->total += (int64_t)hdr_end;
		s->in_body = 1;
		return resp_body(c, h, s, r, keep, h->buf + hdr_end,
				 s->have - hdr_end);
	}
}

/*
 * Read one response on h->fd, blocking.  0: read completely; 1: the
 * connection was closed before any byte (RESP_STALE); -1: failed (R says
 * why).  *keep says whether the connection may be reused.
 */
static int read_response(struct collector *c, struct http *h,
			 struct op_result *r, int *keep)
{
	struct resp s;

	resp_begin(h, &s);
	for (;;) {
		size_t cap;
		char *p = resp_space(h, &s, &cap);
		ssize_t k = http_recv(h, p, cap);
		int st = resp_feed(c, h, &s, r, keep, k, errno);

		if (st != RESP_MORE)
			return st == RESP_DONE ? 0 : st == RESP_STALE ? 1 : -1;
	}
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
	if (c->concurrency > 1 && !(h->pool = pool_new(c))) {
		diag(DIAG_ERROR, "out of memory for %ld clients",
		     c->concurrency);
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
	h->deadline_ns = c->timeout_ms > 0 ? collect_mono_ns() + c->timeout_ms * 1000000LL : 0;
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

/* ---- --concurrency N: N connections in flight, one event loop ----
 *
 * Each slot is a client of its own: its connection (kept alive between
 * its requests, as the one client's is), its buffers and its response
 * being read; the request and the address are the first client's.  The
 * sockets are non-blocking and one epoll set waits on them all; an
 * operation is timed from the moment its slot starts it (before the
 * connect, when there is one) to the moment its response is read whole,
 * so a slot waiting its turn in the loop counts, as it would in a server
 * under load.  --timeout is each operation's own deadline. */

struct slot {
	struct http h;
	struct resp s;
	enum { S_IDLE, S_CONNECT, S_SEND, S_RECV } st;
	uint32_t events; /* what the epoll set waits for on h.fd */
	long seq;
	int reused, tries;
	size_t sent;
	int64_t start_us, m0_ns;
	struct op_result r;
};

struct pool {
	struct slot *sl;
	long n;
	int ep;
};

static void slot_close(struct slot *k)
{
	http_close(&k->h);
	k->events = 0;
}

/* Wait for EV on the slot's socket (the set is told only of a change). */
static int slot_wait(struct pool *P, struct slot *k, uint32_t ev)
{
	struct epoll_event e;

	if (k->events == ev)
		return 0;
	e.events = ev;
	e.data.ptr = k;
	if (epoll_ctl(P->ep, k->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
		      k->h.fd, &e) != 0)
		return -1;
	k->events = ev;
	return 0;
}

/* The operation on K has ended (R says how); log it. */
static void slot_end(struct collector *c, struct slot *k, int keep,
		     struct op_sink *sink, int *stop)
{
	int64_t done = collect_mono_ns();

	if (!keep || c->connect_each)
		slot_close(k);
	k->st = S_IDLE;
	if (sink->ended(sink, k->seq, &k->r, k->start_us,
			collect_end_us(k->start_us, done - k->m0_ns), done) != 0)
		*stop = 1;
}

static int slot_connect(struct collector *c, struct pool *P, struct slot *k);

/* Send (the rest of) the request; 1 when the operation ended. */
static int slot_send(struct collector *c, struct pool *P, struct slot *k)
{
	struct http *h = &k->h;

	while (k->sent < h->reqlen) {
		ssize_t n = send(h->fd, h->req + k->sent, h->reqlen - k->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			k->st = S_SEND;
			if (slot_wait(P, k, EPOLLOUT) != 0) {
				result_errno(&k->r, NULL, errno);
				return 1;
			}
			return 0;
		}
		if (n <= 0) {
			int e = errno;

			slot_close(k);
			if (k->reused && k->tries++ == 0)
				return slot_connect(c, P, k); /* stale */
			result_errno(&k->r, NULL, e);
			return 1;
		}
		k->sent += (size_t)n;
	}
	k->st = S_RECV;
	resp_begin(h, &k->s);
	if (slot_wait(P, k, EPOLLIN) != 0) {
		result_errno(&k->r, NULL, errno);
		return 1;
	}
	return 0;
}

/* A new connection for K (non-blocking); 1 when the operation ended. */
static int slot_connect(struct collector *c, struct pool *P, struct slot *k)
{
	struct http *h = &k->h;
	int one = 1;

	k->reused = 0;
	k->sent = 0;
	h->fd = socket(h->peer.addr.ss_family,
		       SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (h->fd < 0) {
		result_errno(&k->r, "socket", errno);
		return 1;
	}
	if (!c->connect_each) /* as net_connect() */
		setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(h->fd, (const struct sockaddr *)&h->peer.addr,
		    h->peer.len) == 0)
		return slot_send(c, P, k);
	if (errno != EINPROGRESS && errno != EINTR) {
		result_errno(&k->r, NULL, errno);
		slot_close(k);
		return 1;
	}
	k->st = S_CONNECT;
	if (slot_wait(P, k, EPOLLOUT) != 0) {
		result_errno(&k->r, NULL, errno);
		slot_close(k);
		return 1;
	}
	return 0;
}

/* Start operation SEQ on the idle slot K; 1 when it ended already. */
static int slot_start(struct collector *c, struct pool *P, struct slot *k,
		      long seq)
{
	struct timespec rt;

	k->seq = seq;
	k->tries = 0;
	k->r.bytes = -1;
	k->r.status[0] = '\0';
	clock_gettime(CLOCK_REALTIME, &rt);
	k->m0_ns = collect_mono_ns();
	k->start_us = (int64_t)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
	k->h.deadline_ns = c->timeout_ms > 0
				   ? k->m0_ns + c->timeout_ms * 1000000LL
				   : 0;
	if (k->h.fd < 0)
		return slot_connect(c, P, k);
	k->reused = 1;
	k->sent = 0;
	return slot_send(c, P, k);
}

/* EV on K's socket; 1 when its operation ended (*keep: the connection
 * may be reused). */
static int slot_event(struct collector *c, struct pool *P, struct slot *k,
		      int *keep)
{
	struct http *h = &k->h;

	*keep = 0;
	if (k->st == S_CONNECT) {
		int err = 0;
		socklen_t el = sizeof err;

		if (getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
			err = errno;
		if (err) {
			result_errno(&k->r, NULL, err);
			slot_close(k);
			return 1;
		}
		return slot_send(c, P, k);
	}
	if (k->st == S_SEND)
		return slot_send(c, P, k);
	for (;;) {
		size_t cap;
		char *p = resp_space(h, &k->s, &cap);
		ssize_t n = recv(h->fd, p, cap, MSG_DONTWAIT);
		int st;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		st = resp_feed(c, h, &k->s, &k->r, keep, n, errno);
		if (st == RESP_MORE)
			continue;
		if (st == RESP_STALE && k->reused && k->tries++ == 0) {
			slot_close(k); /* closed while idle: once more */
			return slot_connect(c, P, k);
		}
		if (st == RESP_STALE)
			result_status(&k->r, "closed");
		return 1; /* *keep is 0 unless the response was whole */
	}
}

static void pool_free(struct pool *P)
{
	if (!P)
		return;
	for (long i = 0; i < P->n; i++) {
		slot_close(&P->sl[i]);
		free(P->sl[i].h.buf);
		free(P->sl[i].h.win);
	}
	free(P->sl);
	if (P->ep >= 0)
		close(P->ep);
	free(P);
}

static struct pool *pool_new(struct collector *c)
{
	const struct http *h = c->state;
	struct pool *P = calloc(1, sizeof *P);

	if (!P)
		return NULL;
	P->ep = epoll_create1(EPOLL_CLOEXEC);
	P->sl = calloc((size_t)c->concurrency, sizeof *P->sl);
	if (P->ep < 0 || !P->sl) {
		pool_free(P);
		return NULL;
	}
	for (P->n = 0; P->n < c->concurrency; P->n++) {
		struct slot *k = &P->sl[P->n];

		k->h = *h;
		k->h.fd = -1;
		k->h.buf = malloc(IOBUF);
		k->h.win = h->win ? malloc(h->explen + IOBUF) : NULL;
		if (!k->h.buf || (h->win && !k->h.win)) {
			P->n++;
			pool_free(P);
			return NULL;
		}
	}
	return P;
}

static void http_batch(struct collector *c, long count,
		       struct op_sink *sink)
{
	struct http *h = c->state;
	struct pool *P = h->pool;
	long next = 1, busy = 0;
	int stop = 0;

	for (;;) {
		struct epoll_event ev[64];
		int64_t now, wait_ns = -1;
		int k;

		/* the idle slots take the next operations */
		for (long i = 0; i < P->n && !stop && !collect_stop &&
				    next <= count;
		     i++) {
			struct slot *s = &P->sl[i];

			if (s->st != S_IDLE)
				continue;
			if (slot_start(c, P, s, next++))
				slot_end(c, s, 0, sink, &stop);
			else
				busy++;
		}
		if (busy == 0)
			break;
		sink->flush(sink);
		now = collect_mono_ns();
		for (long i = 0; i < P->n; i++) {
			struct slot *s = &P->sl[i];

			if (s->st == S_IDLE || !s->h.deadline_ns)
				continue;
			if (s->h.deadline_ns <= now) {
				/* past --timeout: what was read so far, and
				 * "timeout" */
				if (s->st == S_RECV) {
					int keep;

					resp_feed(c, &s->h, &s->s, &s->r, &keep,
						  -1, ETIMEDOUT);
				} else {
					result_errno(&s->r, NULL, ETIMEDOUT);
				}
				slot_end(c, s, 0, sink, &stop);
				busy--;
			} else if (wait_ns < 0 || s->h.deadline_ns - now < wait_ns) {
				wait_ns = s->h.deadline_ns - now;
			}
		}
		if (busy == 0)
			continue;
		k = epoll_wait(P->ep, ev, 64,
			       wait_ns < 0 ? -1 : (int)((wait_ns + 999999) / 1000000));
		if (k < 0 && errno != EINTR) {
			diag(DIAG_ERROR, "epoll_wait: %s", strerror(errno));
			collect_abort = 1;
		}
		if (collect_abort) {
			/* abandoned in flight: not logged */
			for (long i = 0; i < P->n; i++)
				if (P->sl[i].st != S_IDLE) {
					slot_close(&P->sl[i]);
					P->sl[i].st = S_IDLE;
				}
			return;
		}
		for (int i = 0; i < k; i++) {
			struct slot *s = ev[i].data.ptr;
			int keep = 0;

			if (s->st != S_IDLE &&
			    slot_event(c, P, s, &keep)) {
				slot_end(c, s, keep, sink, &stop);
				busy--;
			}
		}
	}
}

static void http_teardown(struct collector *c)
{
	struct http *h = c->state;

	if (!h)
		return;
	pool_free(h->pool);
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
	"--connect-each; --concurrency N keeps N in flight)",
	http_setup, http_op, NULL, http_teardown, NULL,
	http_batch,
};
