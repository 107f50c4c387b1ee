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
 * and, for the collector's --timeout and --max-body (tests/robust.sh),
 * servers that never finish; each stops when the client goes, or after
 * 120 s:
 *   endless-body      200 without a length, a body without end
 *   endless-chunks    200 chunked, 4 KiB chunks without end
 *   endless-trailer   200 chunked, a last chunk, then trailer lines
 *                     without end
 *   huge-length       Content-Length: 18446744073709551615, then a body
 *   trickle           Content-Length: 1000, one byte every 0.3 s
 *   endless-continue  "100 Continue" without end
 *   two-lengths       Content-Length: 3 and Content-Length: 5
 *   extra-after       a response of 3 body bytes followed by 11 more
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Send S again and again (PAUSE_US between) until the client goes or
 * 120 s pass. */
static void endless(int fd, const char *s, long pause_us)
{
	time_t until = time(NULL) + 120;
	size_t n = strlen(s);

	while (time(NULL) < until) {
		if (send(fd, s, n, MSG_NOSIGNAL) != (ssize_t)n)
			return;
		if (pause_us)
			usleep((useconds_t)pause_us);
	}
}

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
			/* logged at a connection's first request, before the
			 * answer: once the client has its answers, the count is
			 * final (a line at close raced the test's kill) */
			if (++req == 1 && (fp = fopen(logname, "a")) != NULL) {
				fprintf(fp, "conn %ld\n", conn);
				fclose(fp);
			}
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
			{
				static char block[4096 + 16];

				if (!block[0]) {
					memset(block, 'x', sizeof block - 1);
					memcpy(block, "1000\r\n", 6);
					memcpy(block + 6 + 4096, "\r\n", 3);
				}
				if (strcmp(mode, "endless-body") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\n\r\n");
					endless(fd, block + 6, 0);
				} else if (strcmp(mode, "endless-chunks") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
					endless(fd, block, 0);
				} else if (strcmp(mode, "endless-trailer") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
					endless(fd, "X-More: trailer line without end of the trailers\r\n", 0);
				} else if (strcmp(mode, "huge-length") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n");
					endless(fd, block + 6, 0);
				} else if (strcmp(mode, "trickle") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
					endless(fd, "x", 300000);
				} else if (strcmp(mode, "endless-continue") == 0) {
					endless(fd, "HTTP/1.1 100 Continue\r\n\r\n", 10000);
				} else if (strcmp(mode, "two-lengths") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde");
				} else if (strcmp(mode, "extra-after") == 0) {
					say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\nHTTP/1.1 20");
					continue;
				}
			}
			break; /* close, midway, garbage, eof, idle-close, endless */
		}
		close(fd);
	}
}
