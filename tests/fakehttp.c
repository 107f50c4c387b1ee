/*
 * fakehttp: a misbehaving HTTP server for the collector's tests.
 *
 *   fakehttp PORTFILE MODE
 *
 * Listens on 127.0.0.1, a free port written to PORTFILE, and serves
 * connections one after another until killed.  After each connection it
 * appends "conn N req M" to PORTFILE.log (for the tests to count).
 * MODE:
 *   ok          200, Content-Length, keep-alive
 *   empty       200, Content-Length: 0
 *   500         500 Internal Server Error, with a body
 *   close       reads the request, closes without answering
 *   midway      promises 100 bytes, sends 5, closes
 *   garbage     answers "FOO" instead of a status line
 *   chunked     200 chunked, "the needle" split across two chunks
 *   eof         200 without a length: the body ends when it closes
 *   idle-close  200 keep-alive, but closes after every response (a
 *               server whose keep-alive timeout is shorter than the
 *               client's pause)
 *   continue    "100 Continue" first, then 200
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void say(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t k = send(fd, s, n, MSG_NOSIGNAL);

		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* Read one request head; 1 when there was one, 0 at EOF. */
static int read_request(int fd)
{
	char buf[8192];
	size_t have = 0;

	for (;;) {
		ssize_t k = recv(fd, buf + have, sizeof buf - 1 - have, 0);

		if (k <= 0)
			return 0;
		have += (size_t)k;
		buf[have] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			return 1;
		if (have == sizeof buf - 1)
			return 0;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int lfd, one = 1;
	long conn = 0;
	const char *mode;
	char logname[4096];
	FILE *fp;

	if (argc != 3) {
		fprintf(stderr, "usage: fakehttp PORTFILE MODE\n");
		return 2;
	}
	mode = argv[2];
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(lfd, 16) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &al) != 0) {
		perror("fakehttp");
		return 1;
	}
	snprintf(logname, sizeof logname, "%s.log", argv[1]);
	fp = fopen(argv[1], "w");
	if (!fp)
		return 1;
	fprintf(fp, "%u\n", ntohs(a.sin_port));
	fclose(fp);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		long req = 0;

		if (fd < 0)
			continue;
		conn++;
		while (read_request(fd)) {
			req++;
			if (strcmp(mode, "ok") == 0) {
				say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n"
					"\r\nhello vmnetrank\n");
				continue;
			}
			if (strcmp(mode, "empty") == 0) {
				say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
				continue;
			}
			if (strcmp(mode, "500") == 0) {
				say(fd, "HTTP/1.1 500 Internal Server Error\r\n"
					"Content-Length: 5\r\n\r\noops\n");
				continue;
			}
			if (strcmp(mode, "midway") == 0)
				say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
					"\r\nshort");
			else if (strcmp(mode, "garbage") == 0)
				say(fd, "FOO\r\n\r\n");
			else if (strcmp(mode, "chunked") == 0) {
				say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
					"chunked\r\n\r\n7;x=y\r\nthe nee\r\n");
				usleep(20000); /* two reads on the client side */
				say(fd, "3\r\ndle\r\n0\r\nX-Trailer: 1\r\n\r\n");
				continue;
			} else if (strcmp(mode, "eof") == 0)
				say(fd, "HTTP/1.1 200 OK\r\n\r\nuntil close\n");
			else if (strcmp(mode, "idle-close") == 0)
				say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
					"\r\nok\n");
			else if (strcmp(mode, "continue") == 0) {
				say(fd, "HTTP/1.1 100 Continue\r\n\r\n"
					"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
					"\r\nok\n");
				continue;
			}
			break; /* close, midway, garbage, eof, idle-close */
		}
		close(fd);
		fp = fopen(logname, "a");
		if (fp) {
			fprintf(fp, "conn %ld req %ld\n", conn, req);
			fclose(fp);
		}
	}
}
