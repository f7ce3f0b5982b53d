package id.camelpayouts.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import id.camelpayouts.duitku.DuitkuSignature;

/**
 * Baseline for the batch figure: the least a client must do to pay the same rows through Duitku
 * Transfer Online: inquiry then transfer per row, signed with the gateway's own DuitkuSignature,
 * JSON by Jackson, one java.net.http.HttpClient (HTTP/1.1, pooled keep-alive connections),
 * {@code concurrency} worker threads. No Camel, no ledger, no files. Runs as its own JVM, so its
 * resident memory after the batch is a baseline too.
 *
 * Arguments: baseUrl userId email secretKey rows concurrency firstAccount bankCode [warmupRows].
 * Pays {@code warmupRows} rows first, untimed (as the gateway's warm-up file), then the timed rows.
 * Prints "RESULT seconds=.. succeeded=.. failed=.. rssMiB=.. cpuSeconds=..", the last its own CPU (all
 * threads) over the timed rows.
 */
public final class PlainJavaPayer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private PlainJavaPayer() {
    }

    public static void main(String... args) throws Exception {
        String baseUrl = args[0];
        long userId = Long.parseLong(args[1]);
        String email = args[2];
        DuitkuSignature signature = new DuitkuSignature(email, args[3]);
        int rows = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);
        long firstAccount = Long.parseLong(args[6]);
        String bankCode = args[7];
        int warmupRows = args.length > 8 ? Integer.parseInt(args[8]) : 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        if (warmupRows > 0) {
            pay(http, signature, baseUrl, userId, email, bankCode, warmupRows, concurrency, firstAccount + rows);
        }
        Duration cpuBefore = ownCpu();
        long started = System.nanoTime();
        int[] outcome = pay(http, signature, baseUrl, userId, email, bankCode, rows, concurrency, firstAccount);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = ownCpu().minus(cpuBefore).toNanos() / 1e9;
        System.out.printf(java.util.Locale.ROOT, "RESULT seconds=%.3f succeeded=%d failed=%d rssMiB=%.1f cpuSeconds=%.3f%n",
                seconds, outcome[0], outcome[1], ProcessMemory.selfRssMiB(), cpuSeconds);
    }

    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Pays {@code rows} rows with {@code concurrency} threads; returns {succeeded, failed}. */
    private static int[] pay(HttpClient http, DuitkuSignature signature, String baseUrl, long userId, String email,
            String bankCode, int rows, int concurrency, long firstAccount) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < rows; i = next.getAndIncrement()) {
                    try {
                        String account = String.valueOf(firstAccount + i);
                        long amount = 10_000 + i;
                        String purpose = "Payout plain-" + i;
                        long timestamp = System.currentTimeMillis();
                        Map<String, Object> inquiry = new LinkedHashMap<>();
                        inquiry.put("userId", userId);
                        inquiry.put("email", email);
                        inquiry.put("timestamp", timestamp);
                        inquiry.put("bankCode", bankCode);
                        inquiry.put("bankAccount", account);
                        inquiry.put("amountTransfer", amount);
                        inquiry.put("purpose", purpose);
                        inquiry.put("signature", signature.onlineInquiry(timestamp, bankCode, account, amount, purpose));
                        Map<String, Object> answer = post(http, baseUrl + "/inquirysandbox", inquiry);
                        if (!"00".equals(answer.get("responseCode"))) {
                            if (failed.incrementAndGet() == 1) {
                                System.out.println("first failure: inquiry answered " + answer);
                            }
                            continue;
                        }
                        String disburseId = String.valueOf(answer.get("disburseId"));
                        String accountName = String.valueOf(answer.get("accountName"));
                        String custRefNumber = String.valueOf(answer.get("custRefNumber"));
                        timestamp = System.currentTimeMillis();
                        Map<String, Object> transfer = new LinkedHashMap<>();
                        transfer.put("userId", userId);
                        transfer.put("email", email);
                        transfer.put("timestamp", timestamp);
                        transfer.put("disburseId", disburseId);
                        transfer.put("bankCode", bankCode);
                        transfer.put("bankAccount", account);
                        transfer.put("amountTransfer", amount);
                        transfer.put("accountName", accountName);
                        transfer.put("custRefNumber", custRefNumber);
                        transfer.put("purpose", purpose);
                        transfer.put("signature", signature.onlineTransfer(timestamp, bankCode, account, accountName,
                                custRefNumber, amount, purpose, disburseId));
                        answer = post(http, baseUrl + "/transfersandbox", transfer);
                        if ("00".equals(answer.get("responseCode"))) {
                            succeeded.incrementAndGet();
                        } else if (failed.incrementAndGet() == 1) {
                            System.out.println("first failure: transfer answered " + answer);
                        }
                    } catch (Exception e) {
                        if (failed.incrementAndGet() == 1) {
                            System.out.println("first failure: " + e);
                        }
                    }
                }
            }, "payer-" + w);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new int[] {succeeded.get(), failed.get()};
    }

    private static Map<String, Object> post(HttpClient http, String url, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readValue(response.body(), MAP);
    }
}
