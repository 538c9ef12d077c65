"""Replays one captured HTTP response body (raw chunked bytes) to every POST, from memory.

Used by run_client.sh to measure the client without the emulator's rendering cost in the way:
the same bytes ksqldb-emulator sent, served as fast as the kernel takes them.
Usage: replay_server.py BODY_FILE  (prints the port, then serves until killed)
"""
import socket
import sys
import threading

HEAD = (b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.ksqlapi.delimited.v1\r\n"
        b"transfer-encoding: chunked\r\nconnection: close\r\n\r\n")


def serve(conn, body):
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            part = conn.recv(65536)
            if not part:
                return
            data += part
        head, rest = data.split(b"\r\n\r\n", 1)
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(rest) < length:
            part = conn.recv(65536)
            if not part:
                return
            rest += part
        conn.sendall(HEAD + body)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    with open(sys.argv[1], "rb") as f:
        body = f.read()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, body), daemon=True).start()


if __name__ == "__main__":
    main()
