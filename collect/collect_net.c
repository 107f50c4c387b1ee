/*
 * Network modes of vmnetrank-collect: tcp and tcp-sink, and what every
 * network mode shares (addresses, connections; collect_net.h).  http is
 * in collect_http.c.
 *
 * Names are resolved once, before the first operation: resolving is not
 * what is measured.  Sockets are blocking with SO_RCVTIMEO/SO_SNDTIMEO
 * as the timeout (no poll call per read); TCP_NODELAY on kept-alive
 * connections.
 */
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

/* ---- addresses and connections ---- */

/* Split "HOST:PORT" or "[V6]:PORT" (HOST may be empty when ALLOW_EMPTY). */
int net_split_hostport(const char *s, char *host, size_t hcap, char *port,
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

int net_resolve(const char *host, const char *port, int passive,
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

void net_set_timeouts(int fd, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (ms <= 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* A connected socket, or -1 with the failure in R. */
int net_connect(const struct peer *pr, long timeout_ms, int nodelay,
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
	net_set_timeouts(fd, timeout_ms);
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
int net_send_all(int fd, const char *buf, size_t n)
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
ssize_t net_recv_some(int fd, char *buf, size_t cap)
{
	ssize_t k;

	do
		k = recv(fd, buf, cap, 0);
	while (k < 0 && errno == EINTR && !collect_abort);
	return k;
}

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
	if (net_split_hostport(c->target, host, sizeof host, port, sizeof port,
			       0) != 0) {
		diag(DIAG_USAGE, "tcp '%s': expected HOST:PORT", c->target);
		return 2;
	}
	if (c->tcp_bytes <= 0) {
		diag(DIAG_USAGE, "tcp: expected --bytes N (more than 0)");
		return 2;
	}
	if (net_resolve(host, port, 0, &t->peer) != 0)
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
	fd = net_connect(&t->peer, c->timeout_ms, 0, r);
	if (fd < 0)
		return;
	r->bytes = 0;
	while (left > 0) {
		size_t n = left > IOBUF ? IOBUF : (size_t)left;

		if (net_send_all(fd, t->buf, n) != 0) {
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
		ssize_t k = net_recv_some(fd, ack + got, sizeof ack - 1 - got);

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
	tcp_setup, tcp_op, NULL, tcp_teardown, NULL, NULL,
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

	if (net_split_hostport(c->target, host, sizeof host, port, sizeof port,
			       1) != 0) {
		diag(DIAG_USAGE,
		     "tcp-sink '%s': expected [HOST:]PORT (PORT 0: any free "
		     "port)",
		     c->target);
		return 2;
	}
	if (net_resolve(host[0] ? host : "0.0.0.0", port, 1, &pr) != 0)
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
		net_set_timeouts(cfd, c->timeout_ms > 0 ? c->timeout_ms : 30000);
		for (;;) {
			ssize_t k = net_recv_some(cfd, buf, IOBUF);

			if (k <= 0)
				break;
			n += k;
		}
		len = snprintf(ack, sizeof ack, "%lld\n", n);
		net_send_all(cfd, ack, (size_t)len);
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
	NULL, NULL, NULL, NULL, sink_run, NULL,
};
