package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.durianpay.PemKeys;
import id.camelpayouts.durianpay.SnapSignature;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.rails.BankIndonesiaSchedule;
import id.camelpayouts.twin.DurianpayTwin;

/**
 * The hostile-input table (src/test/resources/hostile/hostile-inputs.yaml) against one gateway:
 * every case's answer and the ledger afterwards, that the log stays free of secrets and of raw
 * control characters, that the answer comes quickly, and that a normal payout sent right after
 * each case is paid.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest extends GatewayTestSupport {

    static final String TABLE = "hostile/hostile-inputs.yaml";
    static final String SECRET = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";
    static final String EMAIL = "merchant@example.com";
    static final String NOTIFY_PATH = "/callbacks/durianpay/v1.0/transfer-bank/notify";
    /** An answer slower than this is itself a finding (the costly inputs took seconds to minutes). */
    static final Duration QUICK = Duration.ofSeconds(3);
    static final Pattern REPEAT = Pattern.compile("\\(\\((\\d+)\\*(.*?)\\)\\)", Pattern.DOTALL);
    static final DateTimeFormatter SNAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    static final DateTimeFormatter SNAP_TIME_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    static final ObjectMapper PLAIN_JSON = JsonMapper.builder().build();
    static final long RUN = System.nanoTime() % 1_000_000;

    static final CapturedLog CAPTURED = CapturedLog.attach("hostile-capture");

    static {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().setLevel(Level.INFO); // what production logs
        for (String audit : List.of("org.apache.activemq.audit.base", "org.apache.activemq.audit.message",
                "org.apache.activemq.audit.resource")) { // off in production (log4j2.properties)
            logging.getConfiguration().addLogger(audit, new LoggerConfig(audit, Level.OFF, false));
        }
        logging.updateLoggers();
    }

    @BeanInject("payoutsDurianpayTwin")
    DurianpayTwin durianpayTwin;
    @BeanInject("payoutsBiSchedule")
    BankIndonesiaSchedule biSchedule;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> normalPayouts = new CopyOnWriteArrayList<>();
    /** What must never be in the log: keys, PINs, tokens, KTP and full account numbers. */
    private final List<String> secrets = new CopyOnWriteArrayList<>(List.of(API_KEY, SECRET, "dev-client-secret",
            "PRIVATE KEY", "3174012345678901", "8760673566", "081234567150"));
    private Targets targets;
    private boolean setUpOnce;
    private MockEndpoint deadLetters;

    /** The payouts the callbacks are about, each waiting for its callback or notification. */
    record Targets(Payout clearing, Payout cashOut, Payout durianpay) {
    }

    HostileInputTest() {
        // nothing settles the targets but the cases: no twin callbacks, no status checks meanwhile
        System.setProperty("payouts.twin.callback-delay", "1h");
        System.setProperty("payouts.reconcile.callback-wait", "1h");
    }

    @AfterAll
    void restore() {
        System.clearProperty("payouts.twin.callback-delay");
        System.clearProperty("payouts.reconcile.callback-wait");
        CAPTURED.detach();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().setLevel(Level.WARN);
        logging.updateLoggers();
    }

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = HostileInputTest.class.getClassLoader().getResourceAsStream(TABLE)) {
            List<Map<String, Object>> table = new ObjectMapper(new YAMLFactory()).readValue(in,
                    new TypeReference<List<Map<String, Object>>>() {
                    });
            List<Arguments> cases = new ArrayList<>();
            for (int i = 0; i < table.size(); i++) {
                cases.add(Arguments.of(table.get(i).get("case"), i, table.get(i)));
            }
            return cases.stream();
        }
    }

    @Test
    @Order(1)
    void theTableHasEnoughCasesForEveryDoor() throws IOException {
        Map<String, Integer> perChannel = new LinkedHashMap<>();
        cases().forEach(arguments -> perChannel.merge(String.valueOf(((Map<?, ?>) arguments.get()[2])
                .get("channel")), 1, Integer::sum));
        int httpDoors = perChannel.getOrDefault("api", 0) + perChannel.getOrDefault("http", 0)
                + perChannel.getOrDefault("duitku-clearing", 0) + perChannel.getOrDefault("duitku-cashout", 0)
                + perChannel.getOrDefault("durianpay", 0);
        int queueAndFiles = perChannel.getOrDefault("jms", 0) + perChannel.getOrDefault("file-json", 0)
                + perChannel.getOrDefault("file-csv", 0);
        assertThat(httpDoors).as("API and callback cases " + perChannel).isGreaterThanOrEqualTo(100);
        assertThat(queueAndFiles).as("JMS and file cases " + perChannel).isGreaterThanOrEqualTo(25);
        assertThat(cases().map(arguments -> arguments.get()[0]).distinct().count()).isEqualTo(cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(2)
    void aHostileInputIsAnsweredAsTheTableSaysAndChangesNothingElse(String name, int index,
            Map<String, Object> row) throws Exception {
        Targets payouts = targets();
        Case hostile = new Case(index, row);
        Payout about = switch (hostile.channel()) {
            case "duitku-clearing" -> payouts.clearing();
            case "duitku-cashout" -> payouts.cashOut();
            case "durianpay" -> payouts.durianpay();
            default -> null;
        };
        Snapshot before = about == null ? null : snapshot(about.getReference());
        int logged = CAPTURED.lines().size();
        long began = System.nanoTime();

        switch (hostile.channel()) {
            case "jms" -> throughTheQueue(hostile);
            case "file-json", "file-csv" -> throughAFile(hostile);
            default -> answerOf(hostile, about);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        if (hostile.channel().startsWith("file") || hostile.channel().equals("jms")) {
            assertThat(took).as("time to refuse").isLessThan(Duration.ofSeconds(20));
        }
        String ledgerState = hostile.text("ledger");
        if ("absent".equals(ledgerState)) {
            assertThat(ledger.find(hostile.reference())).as("nothing recorded").isNull();
        } else if ("recorded".equals(ledgerState)) {
            assertThat(ledger.find(hostile.reference())).as("recorded").isNotNull();
        } else if ("unchanged".equals(ledgerState)) {
            assertThat(snapshot(about.getReference())).as("the payout it is about").isEqualTo(before);
        }
        List<String> everything = new ArrayList<>(CAPTURED.lines());
        List<String> lines = everything.subList(logged, everything.size());
        assertLogIsSafe(lines);
        // ...and the gateway still takes (and, checked at the end, pays) a normal payout
        String normal = reference("after-hostile");
        assertThat(post("/api/payouts", instruction(normal, "8760673566", 50000)).status()).isEqualTo(202);
        normalPayouts.add(normal);
    }

    @Test
    @Order(3)
    void everyNormalPayoutSentAfterAHostileInputWasPaid() throws IOException {
        assertThat(normalPayouts).hasSize((int) cases().count());
        for (String reference : normalPayouts) {
            assertThat(awaitFinal(reference).getStatus()).as(reference).isEqualTo(Payout.SUCCEEDED);
        }
    }

    @Test
    @Order(4)
    void nothingSecretWasLoggedThroughout() {
        assertThat(CAPTURED.lines()).as("the refusals were logged").anySatisfy(line -> assertThat(line)
                .contains("refused"));
        assertLogIsSafe(new ArrayList<>(CAPTURED.lines()));
    }

    // ---- the doors -------------------------------------------------------------------------------

    private void answerOf(Case hostile, Payout about) throws Exception {
        HttpRequest.Builder request;
        switch (hostile.channel()) {
            case "api" -> request = HttpRequest.newBuilder(uri("/api/payouts" + hostile.query()))
                    .header("Content-Type", hostile.text("contentType", "application/json"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(hostile.bytes(hostile.expand(hostile.text("body")))));
            case "http" -> request = HttpRequest.newBuilder(uri(hostile.expand(hostile.text("path")) + hostile.query()))
                    .method(hostile.text("method"), HttpRequest.BodyPublishers.noBody());
            case "duitku-clearing", "duitku-cashout" -> request = duitkuCallback(hostile, about);
            case "durianpay" -> request = durianpayNotification(hostile, about);
            default -> throw new IllegalArgumentException("no channel " + hostile.channel());
        }
        String key = hostile.text("key", hostile.channel().startsWith("api") || hostile.channel().equals("http")
                && hostile.text("path").startsWith("/api") ? "header" : "none");
        if (key.equals("header") || key.equals("both")) {
            request.header("X-API-Key", API_KEY);
        }
        long began = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        String body = new String(response.body(), StandardCharsets.UTF_8);

        assertThat(response.statusCode()).as("status; body: " + abbreviate(body)).isEqualTo(hostile.integer("answer"));
        assertThat(took).as("time to answer").isLessThan(QUICK);
        if (hostile.has("says")) {
            assertThat(body).contains(hostile.text("says"));
        }
        if (hostile.has("allow")) {
            assertThat(response.headers().firstValue("Allow")).hasValue(hostile.text("allow"));
        }
        if (hostile.has("noHeader")) {
            assertThat(response.headers().firstValue(hostile.text("noHeader"))).isEmpty();
        }
        // nothing from the request is echoed in a header (Cache-Control is the gateway's own: CacheControl)
        response.headers().map().forEach((name, values) -> assertThat(name.toLowerCase())
                .isIn(":status", "content-type", "content-length", "allow", "connection", "transfer-encoding",
                        "cache-control"));
        response.headers().allValues("Cache-Control").forEach(value -> assertThat(value).isIn("no-store", "no-cache"));
        if (hostile.channel().equals("api") || hostile.channel().equals("http")) {
            assertThat(response.headers().firstValue("Content-Type")).as("answered in UTF-8, labelled so")
                    .hasValueSatisfying(type -> assertThat(type.replace(" ", "").toLowerCase())
                            .isEqualTo("application/json;charset=utf-8"));
        }
        if (body.startsWith("{")) {
            PLAIN_JSON.readTree(body); // a JSON writer built it
        }
    }

    /** Duitku's genuine callback for the payout, changed as the case says. */
    private HttpRequest.Builder duitkuCallback(Case hostile, Payout payout) throws Exception {
        boolean clearing = hostile.channel().equals("duitku-clearing");
        Map<String, Object> fields;
        if (clearing) {
            fields = DuitkuCallbacksTest.clearingCallback(payout, "00", SECRET);
        } else {
            fields = new LinkedHashMap<>();
            fields.put("disburseId", payout.getProviderReference());
            fields.put("email", EMAIL);
            fields.put("amountTransfer", 100000);
            fields.put("custRefNumber", payout.getReference());
            fields.put("accountName", "Budi");
            fields.put("bankCode", "2010");
            fields.put("phoneNumber", "081234567150");
            fields.put("statusCode", "00");
            fields.put("statusDesc", "Success");
            fields.put("errorMessage", "");
            fields.put("signature", cashOutSignature(fields));
        }
        String genuine = String.valueOf(fields.get("signature"));
        hostile.change(fields);
        if (hostile.bool("sign")) {
            fields.put("signature", clearing ? DuitkuCallbacksTest.sign(fields) : cashOutSignature(fields));
        }
        String body = hostile.has("raw") ? hostile.expand(hostile.text("raw")
                .replace("${disburseId}", payout.getProviderReference())
                .replace("${bankAccount}", String.valueOf(payout.getInstruction().accountNumber()))
                .replace("${accountName}", String.valueOf(payout.getAccountName()))
                .replace("${custRefNumber}", clearing ? payout.getCustRefNumber() : payout.getReference())
                .replace("${signature}", genuine)) : PLAIN_JSON.writeValueAsString(fields);
        body = hostile.text("prefix", "") + body + hostile.text("suffix", "");
        return HttpRequest.newBuilder(uri("/callbacks/duitku/" + (clearing ? "clearing" : "cashout")))
                .header("Content-Type", hostile.text("contentType", "application/json"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Durianpay's notification for the payout, changed and signed as the case says. */
    private HttpRequest.Builder durianpayNotification(Case hostile, Payout payout) throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("originalPartnerReferenceNo", payout.getReference());
        fields.put("originalReferenceNo", payout.getProviderReference());
        fields.put("amount", Map.of("value", "80000.00", "currency", "IDR"));
        fields.put("additionalInfo", Map.of("latestTransactionStatus", "00"));
        fields.put("failureReason", "");
        hostile.change(fields);
        String body = hostile.has("raw") ? hostile.expand(hostile.text("raw")
                .replace("${reference}", payout.getReference())
                .replace("${referenceNo}", payout.getProviderReference())) : PLAIN_JSON.writeValueAsString(fields);
        body = hostile.text("prefix", "") + body + hostile.text("suffix", "");
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.ofHours(7));
        String timestamp = switch (hostile.text("timestamp", "now")) {
            case "now" -> SNAP_TIME.format(now);
            case "now-millis" -> SNAP_TIME_MILLIS.format(now);
            case "-6m" -> SNAP_TIME.format(now.minusMinutes(6));
            case "+6m" -> SNAP_TIME.format(now.plusMinutes(6));
            case "-1d" -> SNAP_TIME.format(now.minusDays(1));
            case "none" -> null;
            default -> hostile.expand(hostile.text("timestamp"));
        };
        String signature = switch (hostile.text("signature", "genuine")) {
            case "genuine" -> SnapSignature.sign(PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                    SnapSignature.notificationText("POST", NOTIFY_PATH, body, String.valueOf(timestamp)));
            case "none" -> null;
            default -> hostile.expand(hostile.text("signature"));
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(NOTIFY_PATH)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            request.header("X-TIMESTAMP", timestamp);
        }
        if (signature != null) {
            request.header("X-SIGNATURE", signature);
        }
        return request;
    }

    private void throughTheQueue(Case hostile) throws Exception {
        String body = hostile.expand(hostile.text("body"));
        context.createProducerTemplate().sendBodyAndHeader("jms:queue:payouts.requests", body, "HostileCase",
                hostile.index());
        if ("accepted".equals(hostile.text("answer"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(hostile.reference()) != null);
            return;
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter(hostile.index()) != null);
        Exchange parked = deadLetter(hostile.index());
        assertThat(parked.getMessage().getBody(String.class)).as("the message as it came").isEqualTo(body);
        assertThat(parked.getMessage().getHeader("PayoutRejectReason", String.class)).as("its reason")
                .isNotBlank().contains(hostile.text("says"));
    }

    private Exchange deadLetter(int index) {
        return deadLetters.getExchanges().stream()
                .filter(m -> String.valueOf(index).equals(m.getMessage().getHeader("HostileCase", String.class)))
                .findFirst().orElse(null);
    }

    /** The case's file was dropped before the first case ran; its one row must be refused as the table says. */
    private void throughAFile(Case hostile) throws IOException {
        String name = hostile.fileName();
        Path results = outbox.resolve(name + ".results.csv");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(results) && Files.readString(results).lines().count() >= 2);
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> read = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(results.toFile())) {
            read.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("status")).isEqualTo(hostile.text("answer"));
        assertThat(rows.get(0).get("reason")).contains(hostile.text("says"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve("done"))
                && Files.list(inbox.resolve("done")).anyMatch(done -> done.toString().endsWith(name)));
    }

    // ---- set-up: the payouts the callbacks are about, the dropped files, the dead letters ----------

    private synchronized Targets targets() throws Exception {
        if (targets != null) {
            return targets;
        }
        assertThat(setUpOnce).as("the set-up failed before").isFalse();
        setUpOnce = true;
        biSchedule.useClock(Clock.offset(Clock.systemUTC(),
                Duration.between(Instant.now(), Instant.parse("2026-11-23T03:00:00Z")))); // a Monday, 10:00 WIB
        durianpayTwin.notifyTo(null);
        deadLetters = context.getEndpoint("mock:hostile-dead-letters", MockEndpoint.class);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:payouts.dead-letter").routeId("hostile-dead-letters").to("mock:hostile-dead-letters");
            }
        });
        dropEveryFileCase();

        String clearing = reference("hostile-h2h");
        post("/api/payouts", DuitkuClearingAndCashOutTest.clearing(clearing, "H2H", "009", "5550008001", 60_000_000));
        String cashOut = reference("hostile-cash");
        post("/api/payouts", "{\"reference\":\"" + cashOut + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2010\","
                + "\"amount\":100000,\"accountName\":\"Budi\",\"phoneNumber\":\"081234567150\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jakarta\"}");
        String durianpay = reference("hostile-dp");
        post("/api/payouts", DurianpayPayoutsTest.durianpayInstruction(durianpay, "1234567806", 80000));
        await().atMost(Duration.ofSeconds(15)).until(() -> "80".equals(ledger.find(clearing).getResponseCode())
                && ledger.find(cashOut).getProviderReference() != null
                && ledger.find(durianpay).getProviderReference() != null);
        Map<String, Object> cashOutOutcome = get("/api/payouts/" + cashOut).json();
        secrets.add(String.valueOf(cashOutOutcome.get("token")));
        if (cashOutOutcome.get("pin") != null) {
            secrets.add(String.valueOf(cashOutOutcome.get("pin")));
        }
        secrets.addAll(List.of("5550008001", "1234567806"));
        targets = new Targets(ledger.find(clearing), ledger.find(cashOut), ledger.find(durianpay));
        return targets;
    }

    @SuppressWarnings("unchecked")
    private void dropEveryFileCase() throws IOException {
        Files.createDirectories(inbox);
        for (Arguments arguments : cases().toList()) {
            Map<String, Object> row = (Map<String, Object>) arguments.get()[2];
            if (String.valueOf(row.get("channel")).startsWith("file")) {
                Case hostile = new Case((int) arguments.get()[1], row);
                Path temp = inbox.resolve("." + hostile.fileName() + ".part");
                Files.writeString(temp, hostile.expand(hostile.text("body")), StandardCharsets.UTF_8);
                Files.move(temp, inbox.resolve(hostile.fileName()));
            }
        }
    }

    // ---- what is checked ------------------------------------------------------------------------------

    /** Status and history: what a refused input must leave as it was. */
    record Snapshot(String status, List<String> history) {
    }

    private Snapshot snapshot(String reference) {
        return new Snapshot(ledger.find(reference).getStatus(), ledger.history(reference));
    }

    private void assertLogIsSafe(List<String> lines) {
        for (String line : lines) {
            assertThat(line).as("a log line of reasonable length").hasSizeLessThan(2000);
            assertThat(line).as("no stack trace for a refused input").doesNotContain("\tat ");
            assertThat(line).as("no raw control characters").doesNotContain("\r", "\n", "\u001b", "\u0000",
                    "\u2028", "\u202e");
            for (String secret : secrets) {
                assertThat(line).as("a secret in the log").doesNotContain(secret);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** One row of the table; its reference is new to this run's ledger. */
    record Case(int index, Map<String, Object> row) {
        String reference() {
            return "h" + RUN + "-" + index;
        }

        String channel() {
            return text("channel");
        }

        boolean has(String key) {
            return row.get(key) != null;
        }

        String text(String key) {
            return String.valueOf(row.get(key));
        }

        String text(String key, String fallback) {
            return has(key) ? text(key) : fallback;
        }

        int integer(String key) {
            return Integer.parseInt(text(key));
        }

        boolean bool(String key) {
            return Boolean.parseBoolean(text(key, "false"));
        }

        String query() {
            List<String> parameters = new ArrayList<>();
            if (has("query")) {
                parameters.add(expand(text("query")));
            }
            if (text("key", "").equals("query") || text("key", "").equals("both")) {
                parameters.add("X-API-Key=" + API_KEY);
            }
            return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
        }

        String fileName() {
            return "hostile-" + index + (channel().equals("file-csv") ? ".csv" : ".json");
        }

        byte[] bytes(String text) {
            return text.getBytes(Charset.forName(text("encoding", "UTF-8")));
        }

        /** ${ref}, ${key} and ((N*TEXT)) (# in TEXT: the repetition's number). */
        String expand(String text) {
            String expanded = text.replace("${ref}", reference())
                    .replace("${key}", API_KEY);
            Matcher repeat = REPEAT.matcher(expanded);
            StringBuilder out = new StringBuilder();
            while (repeat.find()) {
                StringBuilder repeated = new StringBuilder();
                for (int i = 1; i <= Integer.parseInt(repeat.group(1)); i++) {
                    repeated.append(repeat.group(2).replace("#", String.valueOf(i)));
                }
                repeat.appendReplacement(out, Matcher.quoteReplacement(repeated.toString()));
            }
            repeat.appendTail(out);
            return out.toString();
        }

        /** The case's `set` (values expanded) and `remove` applied to a callback's fields. */
        @SuppressWarnings("unchecked")
        void change(Map<String, Object> fields) {
            if (row.get("set") instanceof Map<?, ?> set) {
                ((Map<String, Object>) set).forEach((field, value) -> fields.put(field,
                        value instanceof String text ? expand(text) : value));
            }
            if (row.get("remove") instanceof List<?> remove) {
                remove.forEach(fields::remove);
            }
        }
    }

    private static String cashOutSignature(Map<String, Object> callback) {
        return DuitkuSignature.sha256Hex(EMAIL + callback.get("disburseId") + callback.get("custRefNumber") + SECRET);
    }
}
