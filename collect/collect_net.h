/*
 * What the network modes of vmnetrank-collect share (collect_net.c,
 * collect_http.c): a peer's address, resolved once before the first
 * operation, connections with timeouts, and whole sends.
 */
#ifndef VMNETRANK_COLLECT_NET_H
#define VMNETRANK_COLLECT_NET_H

#include "collect.h"

#include <sys/socket.h>
#include <sys/types.h>

#define IOBUF (256 * 1024)

struct peer {
	struct sockaddr_storage addr;
	socklen_t len;
	char shown[300]; /* "host:port", for messages */
};

/* Split "HOST:PORT" or "[V6]:PORT" (HOST may be empty when ALLOW_EMPTY). */
int net_split_hostport(const char *s, char *host, size_t hcap, char *port,
		       size_t pcap, int allow_empty);
/* HOST and PORT resolved into PR (PASSIVE: an address to listen on). */
int net_resolve(const char *host, const char *port, int passive,
		struct peer *pr);
/* SO_RCVTIMEO and SO_SNDTIMEO of MS milliseconds (0: none). */
void net_set_timeouts(int fd, long ms);
/* A connected socket, or -1 with the failure in R. */
int net_connect(const struct peer *pr, long timeout_ms, int nodelay,
		struct op_result *r);
/* send() all of BUF; 0, or -1 with errno. */
int net_send_all(int fd, const char *buf, size_t n);
/* recv() once, retrying after a signal; bytes, 0 at EOF, -1 with errno. */
ssize_t net_recv_some(int fd, char *buf, size_t cap);

#endif
