package id.camelpayouts.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load generator: {@code concurrency} threads, each on its own keep-alive
 * connection, POST pre-built request bodies (round robin) back to back. Only requests answered 200
 * with body SUCCESS count as accepted; each one's latency (send to last byte) is recorded, and
 * p50/p99 are read off the sorted latencies (no histogram library). Requests completing in the
 * warm-up are not counted.
 */
final class CallbackLoad {

    record Result(int concurrency, double seconds, long accepted, long refused, long errors, double p50Millis,
            double p99Millis) {
        double perSecond() {
            return accepted / seconds;
        }
    }

    private CallbackLoad() {
    }

    static Result run(String host, int port, String path, List<String> bodies, int concurrency, long warmupMillis,
            long measureMillis) throws InterruptedException {
        List<byte[]> requests = new ArrayList<>();
        for (String body : bodies) {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n";
            byte[] head1 = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head1, head1.length + content.length);
            System.arraycopy(content, 0, request, head1.length, content.length);
            requests.add(request);
        }
        AtomicLong next = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + warmupMillis * 1_000_000L;
        long end = measureFrom + measureMillis * 1_000_000L;
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1 << 14];
                int count = 0;
                Socket socket = null;
                InputStream in = null;
                while (System.nanoTime() < end) {
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            socket.connect(new InetSocketAddress(host, port), 5000);
                            socket.setSoTimeout(30_000);
                            in = new BufferedInputStream(socket.getInputStream(), 8192);
                        }
                        byte[] request = requests.get((int) (next.getAndIncrement() % requests.size()));
                        long sent = System.nanoTime();
                        OutputStream out = socket.getOutputStream();
                        out.write(request);
                        out.flush();
                        Response response = Response.read(in);
                        long done = System.nanoTime();
                        if (response.status == 200 && "SUCCESS".equals(response.body)) {
                            if (sent >= measureFrom && done <= end) {
                                if (count == mine.length) {
                                    mine = Arrays.copyOf(mine, count * 2);
                                }
                                mine[count++] = done - sent;
                            }
                        } else if (sent >= measureFrom) {
                            refused.incrementAndGet();
                        }
                        if (response.close) {
                            socket.close();
                            socket = null;
                        }
                    } catch (IOException e) {
                        if (System.nanoTime() >= measureFrom) {
                            errors.incrementAndGet();
                        }
                        closeQuietly(socket);
                        socket = null;
                    }
                }
                closeQuietly(socket);
                latencies[worker] = mine;
                counts[worker] = count;
            }, "callback-load-" + w);
            thread.start();
            workers.add(thread);
        }
        for (Thread thread : workers) {
            thread.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(latencies[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        return new Result(concurrency, measureMillis / 1000.0, total, refused.get(), errors.get(),
                percentile(all, 0.50), percentile(all, 0.99));
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static void closeQuietly(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Just enough of an HTTP/1.1 response: status, Content-Length or chunked body, Connection: close. */
    private record Response(int status, String body, boolean close) {

        static Response read(InputStream raw) throws IOException {
            InputStream in = raw;
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else if (length > 0) {
                body.write(in.readNBytes(length));
            }
            return new Response(status, body.toString(StandardCharsets.UTF_8), close);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    int last = line.length() - 1;
                    return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }
    }
}
