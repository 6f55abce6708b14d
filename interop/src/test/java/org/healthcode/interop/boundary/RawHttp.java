package org.healthcode.interop.boundary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 spoken by hand over a socket, for what a well-behaved client library will not send: a declared length
 * with no body, a body that trickles, a request line that is not HTTP.
 */
final class RawHttp {
    /** A response: status, headers as received, body as text. */
    record Answer(int status, String headers, String body) {}

    private RawHttp() {}

    /** Writes {@code head} (request line and headers, without the blank line) and {@code body}, then reads. */
    static Answer exchange(Socket socket, String head, byte[] body) throws IOException {
        send(socket, head, body);
        return read(socket.getInputStream());
    }

    /**
     * Writes {@code head} with {@code Transfer-Encoding: chunked} and then {@code total} bytes in chunks from another
     * thread, while this one reads the answer: a server that answers before the end of the body is heard.
     */
    static Answer chunkedExchange(Socket socket, String head, int total) throws IOException {
        send(socket, head + "\r\nTransfer-Encoding: chunked", new byte[0]);
        Thread writer = new Thread(
                () -> {
                    byte[] chunk = new byte[8192];
                    byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
                    try {
                        OutputStream out = socket.getOutputStream();
                        for (int sent = 0; sent < total; sent += chunk.length) {
                            out.write(size);
                            out.write(chunk);
                            out.write(crlf);
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        // the server stopped reading: expected once it has answered
                    }
                },
                "chunked-writer");
        writer.setDaemon(true);
        writer.start();
        return read(socket.getInputStream());
    }

    static void send(Socket socket, String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Reads one response: headers, then a body of Content-Length bytes (or up to the end of the stream). */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        long length = -1;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).strip());
            }
        }
        byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
