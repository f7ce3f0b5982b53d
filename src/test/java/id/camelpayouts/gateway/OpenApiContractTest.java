package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.BeanInject;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.DurianpayTwin;
import id.camelpayouts.twin.TwinFault;

/**
 * Keeps the OpenAPI description (src/main/resources/openapi/payouts-api.yaml, served at
 * GET /api/openapi.yaml) and the API in step: the document is valid OpenAPI 3.1; it documents
 * exactly the /api endpoints the running gateway serves; the gateway is made to answer every
 * documented response of every operation, and each answer (status, media type, body) is validated
 * against the document; and the request schema agrees with the instruction parser.
 */
@SuppressWarnings("unchecked")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest extends GatewayTestSupport {

    static final String DOCUMENT = "openapi/payouts-api.yaml";
    /** Where the schema loader finds the document (as JSON): $refs resolve inside it. */
    static final String DOCUMENT_IRI = "https://camel-payouts.test/openapi.json";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern REQUIRED_PROBLEM = Pattern.compile("^(\\w+): required");

    @BeanInject("payoutsDurianpayTwin")
    DurianpayTwin durianpayTwin;

    /** From this amount a payout waits for an approver (the write side's answers need some that do). */
    static final long APPROVAL_ABOVE = 150_000_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private OpenAPI api;
    private JsonNode document;
    private JsonSchemaFactory schemas;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();
    /** "METHOD /path" → the response codes the gateway was made to answer, each validated. */
    private final Map<String, Set<String>> exercised = new ConcurrentHashMap<>();

    OpenApiContractTest() {
        System.setProperty("payouts.approval.above", String.valueOf(APPROVAL_ABOVE));
        // a batch of three API payouts is then too big for its results (409); no file is dropped here
        System.setProperty("payouts.files.max-rows", "2");
    }

    @AfterAll
    void forgetApprovalSettings() {
        System.clearProperty("payouts.approval.above");
        System.clearProperty("payouts.files.max-rows");
    }

    @BeforeAll
    void readTheDocument() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertThat(in).as(DOCUMENT + " on the classpath").isNotNull();
            document = YAML.readTree(in);
        }
        String asJson = JSON.writeValueAsString(document);
        // The OpenAPI 3.1 dialect (2020-12 plus discriminator, example, ...); the document's own
        // top-level keys are known too: the schemas are loaded from inside the whole document.
        JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi31.getInstance())
                .keywords(Stream.of("openapi", "jsonSchemaDialect", "info", "servers", "security", "tags", "paths",
                        "components", "webhooks", "externalDocs").map(NonValidationKeyword::new).toList())
                .build();
        schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(dialect).defaultMetaSchemaIri(dialect.getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, asJson))));
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(resourceText(), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser messages").isEmpty();
        api = parsed.getOpenAPI();
    }

    // ---- (a) the document --------------------------------------------------------------------

    @Test
    @Order(1)
    void theDocumentIsValidOpenApi31WithTheApiKeyOnEveryOperation() {
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getSpecVersion()).isEqualTo(io.swagger.v3.oas.models.SpecVersion.V31);
        var scheme = api.getComponents().getSecuritySchemes().get("apiKey");
        assertThat(scheme.getType()).hasToString("apiKey");
        assertThat(scheme.getIn()).hasToString("header");
        assertThat(scheme.getName()).isEqualTo("X-API-Key");
        assertThat(api.getSecurity()).hasSize(1);
        assertThat(api.getSecurity().get(0)).containsOnlyKeys("apiKey");
        operations().forEach((operation, op) -> {
            assertThat(op.getSecurity()).as(operation + " overrides the API key").isNull();
            assertThat(op.getResponses()).as(operation).containsKey("401");
            if (!operation.equals("GET /api/whoami")) { // the one operation open to every key
                assertThat(op.getResponses()).as(operation).containsKey("403");
            }
            assertThat(op.getOperationId()).as(operation).isNotBlank();
        });
    }

    @Test
    @Order(2)
    void everySchemaCompilesAndEveryExampleMatchesItsSchema() {
        document.get("components").get("schemas").fieldNames().forEachRemaining(
                name -> schema("/components/schemas/" + name).initializeValidators());
        List<String> checked = new ArrayList<>();
        walk(document, "", (pointer, node) -> {
            if (!node.has("schema") || !(node.has("example") || node.has("examples"))) {
                return; // media types (and parameters) with examples
            }
            JsonSchema schema = schema(pointer + "/schema");
            if (node.has("example")) {
                assertValid(schema, node.get("example"), pointer + "/example");
                checked.add(pointer + "/example");
            }
            if (node.has("examples") && node.get("examples").isObject()) {
                node.get("examples").fields().forEachRemaining(example -> {
                    assertValid(schema, example.getValue().get("value"), pointer + "/examples/" + example.getKey());
                    checked.add(pointer + "/examples/" + example.getKey());
                });
            }
        });
        assertThat(checked).hasSizeGreaterThan(10);
    }

    // ---- (b) the document's operations are the gateway's ---------------------------------------

    @Test
    @Order(3)
    void theDocumentDescribesExactlyTheApiEndpointsTheGatewayServes() {
        Set<String> served = new TreeSet<>();
        for (HttpEndpointModel endpoint : context.getComponent("platform-http", PlatformHttpComponent.class)
                .getHttpEndpoints()) {
            if (!endpoint.getUri().startsWith("/api")) {
                continue;
            }
            String verbs = endpoint.getVerbs() == null ? "ANY-METHOD" : endpoint.getVerbs();
            for (String verb : verbs.split(",")) {
                served.add(verb.trim().toUpperCase() + " " + endpoint.getUri());
            }
        }
        assertThat(served).as("the gateway serves /api endpoints").isNotEmpty();
        assertThat(new TreeSet<>(operations().keySet())).as("operations in " + DOCUMENT)
                .containsExactlyElementsOf(served);
    }

    @Test
    @Order(4)
    void theDocumentIsServedAtApiOpenapiYaml() throws IOException {
        Answer served = call("GET", "/api/openapi.yaml", null, API_KEY);
        assertThat(served.body()).isEqualTo(resourceText());
        assertThat(YAML.readTree(served.body())).isEqualTo(document);
        Answer withoutKey = call("GET", "/api/openapi.yaml", null, null);
        assertThat(withoutKey.body()).doesNotContain("openapi:");
    }

    // ---- (c) every documented answer, from the live gateway ------------------------------------

    @Test
    @Order(10)
    void submitAnswersAsDocumented() {
        String reference = reference("oas-submit");
        String body = instruction(reference, "8760673566", 50000);
        assertThat(call("POST", "/api/payouts", body, API_KEY).status()).isEqualTo(202);
        assertThat(call("POST", "/api/payouts", body, API_KEY).status()).isEqualTo(200); // still PENDING or done
        awaitFinal(reference);
        Map<String, Object> repeated = call("POST", "/api/payouts", body, API_KEY).json();
        assertThat(repeated).containsEntry("status", "SUCCEEDED");

        Answer conflict = call("POST", "/api/payouts", instruction(reference, "8760673566", 90000), API_KEY);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json()).containsKey("error");
        // a key without read: the reference and the status or the error, as documented
        assertThat(call("POST", "/api/payouts", body, SUBMITTER_KEY).json()).containsOnlyKeys("reference", "status");
        assertThat(call("POST", "/api/payouts", instruction(reference, "8760673566", 90000), SUBMITTER_KEY).json())
                .containsOnlyKeys("reference", "error");

        Answer rejected = call("POST", "/api/payouts",
                "{\"reference\":\"bad-oas\",\"bankCode\":\"x\",\"amount\":1.5,\"colour\":\"red\"}", API_KEY);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(call("POST", "/api/payouts", "not json", API_KEY).json()).containsEntry("reference", null);
        assertThat(call("POST", "/api/payouts", "", API_KEY).status()).isEqualTo(400);
        assertThat(call("POST", "/api/payouts", "[1,2]", API_KEY).status()).isEqualTo(400);

        String unauthorized = instruction(reference("oas-nokey"), "8760673566", 50000);
        assertThat(call("POST", "/api/payouts", unauthorized, null).status()).isEqualTo(401);
        assertThat(call("POST", "/api/payouts", unauthorized, "wrong").status()).isEqualTo(401);

        String tooLarge = instruction(reference("oas-large"), "8760673566", 50000)
                .replace("}", ",\"purpose\":\"" + "p".repeat(70_000) + "\"}");
        assertThat(call("POST", "/api/payouts", tooLarge, API_KEY).status()).isEqualTo(413);
        String form = "reference=" + reference("oas-form") + "&bankCode=014&accountNumber=8760673566&amount=50000";
        assertThat(call("POST", "/api/payouts", form, API_KEY, "application/x-www-form-urlencoded").status())
                .isEqualTo(415);
        assertThat(call("POST", "/api/payouts", instruction(reference("oas-utf16"), "8760673566", 50000), API_KEY,
                "application/json; charset=utf-16").status()).isEqualTo(415);
    }

    @Test
    @Order(11)
    void getPayoutAnswersAsDocumentedForEveryKindOfOutcome() {
        String pending = reference("oas-get");
        post("/api/payouts", "{\"reference\":\"" + pending + "\",\"provider\":\"duitku\",\"method\":\"ONLINE\","
                + "\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000,\"purpose\":\"rent\","
                + "\"senderId\":\"123\",\"senderName\":\"PT Contoh\",\"email\":\"ops@example.com\"}");
        call("GET", "/api/payouts/" + pending, null, API_KEY);
        awaitFinal(pending);
        assertThat(call("GET", "/api/payouts/" + pending, null, API_KEY).json())
                .containsEntry("status", "SUCCEEDED");

        String failed = reference("oas-failed"); // the sandbox account whose transfer fails (-510)
        post("/api/payouts", instruction(failed, "8760673562", 50000));
        assertThat(awaitFinal(failed).getStatus()).isEqualTo(Payout.FAILED);
        assertThat(call("GET", "/api/payouts/" + failed, null, API_KEY).json()).containsEntry("status", "FAILED");

        String mismatch = reference("oas-name");
        post("/api/payouts", "{\"reference\":\"" + mismatch + "\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"8760673566\",\"accountName\":\"Someone Else\",\"amount\":50000}");
        assertThat(awaitFinal(mismatch).getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(call("GET", "/api/payouts/" + mismatch, null, API_KEY).json())
                .containsEntry("status", "REJECTED");

        String durianpay = reference("oas-durianpay");
        post("/api/payouts", "{\"reference\":\"" + durianpay + "\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"8760673566\",\"amount\":50000}");
        assertThat(awaitFinal(durianpay).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(call("GET", "/api/payouts/" + durianpay, null, API_KEY).json())
                .containsEntry("provider", "durianpay");

        String cashOut = reference("oas-cashout"); // the outcome carries the token and PIN
        post("/api/payouts", "{\"reference\":\"" + cashOut + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2011\","
                + "\"amount\":150000,\"accountName\":\"Siti Rahayu\",\"phoneNumber\":\"081234567150\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Merdeka 1, Jakarta\"}");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/api/payouts/" + cashOut).json().containsKey("token"));
        assertThat(call("GET", "/api/payouts/" + cashOut, null, API_KEY).json()).containsKeys("token", "pin");

        assertThat(call("GET", "/api/payouts/never-seen-oas", null, API_KEY).status()).isEqualTo(404);
        assertThat(call("GET", "/api/payouts/" + pending, null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/payouts/" + pending, null, "wrong").status()).isEqualTo(401);
    }

    @Test
    @Order(12)
    void balanceAnswersAsDocumentedForEachProvider() {
        assertThat(call("GET", "/api/balance", null, API_KEY).json()).containsEntry("provider", "duitku");
        assertThat(call("GET", "/api/balance?provider=duitku", null, API_KEY).json())
                .containsEntry("provider", "duitku");
        assertThat(call("GET", "/api/balance?provider=durianpay", null, API_KEY).json())
                .containsEntry("provider", "durianpay");
        assertThat(call("GET", "/api/balance?provider=paypal", null, API_KEY).status()).isEqualTo(400);

        twin.faults().next("checkbalance", TwinFault.HTTP_500_BEFORE);
        assertThat(call("GET", "/api/balance?provider=duitku", null, API_KEY).status()).isEqualTo(502);
        twin.faults().next("checkbalance", TwinFault.DROP_BEFORE);
        assertThat(call("GET", "/api/balance", null, API_KEY).status()).isEqualTo(502);
        durianpayTwin.faults().next("/v1.0/balance-inquiry", TwinFault.HTTP_500_BEFORE);
        assertThat(call("GET", "/api/balance?provider=durianpay", null, API_KEY).json())
                .containsEntry("provider", "durianpay").containsEntry("responseCode", "5000000");
        durianpayTwin.faults().next("/v1.0/balance-inquiry", TwinFault.DROP_BEFORE);
        assertThat(call("GET", "/api/balance?provider=durianpay", null, API_KEY).status()).isEqualTo(502);

        assertThat(call("GET", "/api/balance", null, null).status()).isEqualTo(401);
    }

    @Test
    @Order(13)
    void banksAnswerAsDocumented() {
        assertThat(call("GET", "/api/banks", null, API_KEY).status()).isEqualTo(200);
        assertThat(call("GET", "/api/banks?provider=duitku", null, API_KEY).status()).isEqualTo(200);
        assertThat(call("GET", "/api/banks?provider=durianpay", null, API_KEY).status()).isEqualTo(400);
        twin.faults().next("listBank", TwinFault.HTTP_500_BEFORE);
        assertThat(call("GET", "/api/banks", null, API_KEY).status()).isEqualTo(502);
        assertThat(call("GET", "/api/banks", null, "wrong").status()).isEqualTo(401);
    }

    @Test
    @Order(14)
    void aKeyWithoutTheRoleIsForbiddenEverywhere() {
        assertThat(call("POST", "/api/payouts", instruction(reference("oas-forbidden"), "8760673566", 50000),
                READER_KEY).status()).isEqualTo(403);
        for (String path : List.of("/api/payouts", "/api/payouts/r1", "/api/payouts/r1/history", "/api/batches",
                "/api/batches/b1", "/api/batches/b1/results", "/api/balance", "/api/banks", "/api/openapi.yaml",
                "/api/providers")) {
            assertThat(call("GET", path, null, SUBMITTER_KEY).status()).as(path).isEqualTo(403);
        }
    }

    @Test
    @Order(15)
    void searchAndHistoryAnswerAsDocumented() {
        String reference = reference("oas-search");
        String batch = reference("oas-batch");
        post("/api/payouts", instruction(reference, "8760673562", 50000).replace("}", ",\"batch\":\"" + batch + "\"}"));
        awaitFinal(reference);
        Answer found = call("GET", "/api/payouts?referencePrefix=" + reference + "&status=FAILED&provider=duitku"
                + "&method=ONLINE&reviewRequired=false&intake=api&batch=" + batch + "&createdFrom=2026-01-01T00:00:00Z"
                + "&createdTo=2999-01-01T00:00:00Z&amountMin=50000&amountMax=50000&limit=1", null, READER_KEY);
        assertThat((List<Map<String, Object>>) found.json().get("items")).extracting(item -> item.get("reference"))
                .containsExactly(reference);
        Answer page = call("GET", "/api/payouts?limit=1", null, READER_KEY);
        assertThat(page.json().get("nextCursor")).isNotNull();
        call("GET", "/api/payouts?limit=1&cursor=" + page.json().get("nextCursor"), null, READER_KEY);
        assertThat(call("GET", "/api/payouts?status=PAID&limit=0", null, READER_KEY).status()).isEqualTo(400);
        assertThat(call("GET", "/api/payouts", null, null).status()).isEqualTo(401);

        Answer history = call("GET", "/api/payouts/" + reference + "/history", null, READER_KEY);
        assertThat((List<?>) history.json().get("entries")).hasSizeGreaterThan(2);
        assertThat(call("GET", "/api/payouts/never-seen-oas/history", null, READER_KEY).status()).isEqualTo(404);
        assertThat(call("GET", "/api/payouts/" + reference + "/history", null, "wrong").status()).isEqualTo(401);
    }

    @Test
    @Order(16)
    void batchesAnswerAsDocumented() {
        String batch = reference("oas-batches");
        for (int i = 0; i < 2; i++) {
            String reference = reference("oas-batched");
            post("/api/payouts", instruction(reference, "8760673566", 50000).replace("}", ",\"batch\":\"" + batch
                    + "\"}"));
            awaitFinal(reference);
        }
        Answer list = call("GET", "/api/batches?limit=1", null, READER_KEY);
        assertThat((List<?>) list.json().get("items")).hasSize(1);
        call("GET", "/api/batches?limit=1&cursor=" + list.json().get("nextCursor"), null, READER_KEY);
        assertThat(call("GET", "/api/batches?limit=x", null, READER_KEY).status()).isEqualTo(400);
        assertThat(call("GET", "/api/batches", null, null).status()).isEqualTo(401);

        assertThat(call("GET", "/api/batches/" + batch, null, READER_KEY).json()).containsEntry("rows", 2);
        assertThat(call("GET", "/api/batches/no-such-batch", null, READER_KEY).status()).isEqualTo(404);
        assertThat(call("GET", "/api/batches/" + batch, null, null).status()).isEqualTo(401);

        Answer results = call("GET", "/api/batches/" + batch + "/results", null, READER_KEY);
        assertThat(results.contentType()).startsWith("text/csv");
        assertThat(results.body().lines()).hasSize(3);
        assertThat(call("GET", "/api/batches/no-such-batch/results", null, READER_KEY).status()).isEqualTo(404);
        assertThat(call("GET", "/api/batches/" + batch + "/results", null, "wrong").status()).isEqualTo(401);
        post("/api/payouts", instruction(reference("oas-batched"), "8760673566", 50000).replace("}",
                ",\"batch\":\"" + batch + "\"}"));
        assertThat(call("GET", "/api/batches/" + batch + "/results", null, READER_KEY).status()).isEqualTo(409);
    }

    /**
     * The write side: every action's answers, from a payout (or batch, or provider) the action
     * may be done to, and from each reason it may not.
     */
    @Test
    @Order(17)
    void payoutActionsAnswerAsDocumented() {
        String paid = reference("oas-paid");
        post("/api/payouts", instruction(paid, "8760673566", 50000));
        awaitFinal(paid);
        for (String action : List.of("cancel", "resolve", "recheck", "approve", "reject")) {
            String path = "/api/payouts/" + paid + "/" + action;
            String body = "resolve".equals(action) ? "{\"status\":\"FAILED\",\"note\":\"n\"}" : "{\"note\":\"n\"}";
            assertThat(call("POST", path, body, API_KEY).status()).as(path).isEqualTo(409);
            assertThat(call("POST", path, body, null).status()).as(path).isEqualTo(401);
            assertThat(call("POST", path, body, READER_KEY).status()).as(path).isEqualTo(403);
            assertThat(call("POST", "/api/payouts/never-seen-oas/" + action, body, API_KEY).status()).as(path)
                    .isEqualTo(404);
            assertThat(call("POST", path, "[1]", API_KEY).status()).as(path).isEqualTo(400);
            assertThat(call("POST", path, "note", API_KEY, "text/plain").status()).as(path).isEqualTo(415);
        }

        assertThat(call("POST", "/api/payouts/" + awaitingApproval(API_KEY) + "/cancel", "", API_KEY).json())
                .containsEntry("status", "CANCELLED");
        String own = awaitingApproval(API_KEY);
        assertThat(call("POST", "/api/payouts/" + own + "/approve", "", API_KEY).status()).isEqualTo(403);
        assertThat(call("POST", "/api/payouts/" + own + "/reject", "{\"note\":\"no\"}", APPROVER_KEY).json())
                .containsEntry("status", "REJECTED");
        assertThat(call("POST", "/api/payouts/" + awaitingApproval(SUBMITTER_KEY) + "/approve", null, API_KEY).json())
                .containsEntry("status", "PENDING");

        String flagged = reference("oas-flagged"); // a cash out whose failure claim cannot be confirmed
        post("/api/payouts", "{\"reference\":\"" + flagged + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2011\","
                + "\"amount\":50000,\"accountName\":\"Siti Rahayu\",\"phoneNumber\":\"081234567300\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Merdeka 1, Jakarta\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(flagged).isReviewRequired());
        assertThat(call("POST", "/api/payouts/" + flagged + "/resolve", "{\"status\":\"FAILED\"}", API_KEY).status())
                .isEqualTo(400);
        assertThat(call("POST", "/api/payouts/" + flagged + "/resolve", "{\"status\":\"FAILED\",\"note\":\"refunded\"}",
                API_KEY).json()).containsEntry("status", "FAILED");

        String notifications = durianpayTwin.notifyUrl();
        durianpayTwin.notifyTo(null); // the notification is lost: the payout waits for its status inquiry
        try {
            String sent = reference("oas-recheck");
            post("/api/payouts", DurianpayPayoutsTest.durianpayInstruction(sent, "1234567810", 70000));
            await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(sent) != null
                    && ledger.find(sent).getStage() == Payout.Stage.TRANSFER_SENT && ledger.find(sent).getReason() != null);
            assertThat(call("POST", "/api/payouts/" + sent + "/recheck", "", API_KEY).status()).isEqualTo(202);
            awaitFinal(sent);
        } finally {
            durianpayTwin.notifyTo(notifications);
        }
    }

    @Test
    @Order(18)
    void batchActionsAnswerAsDocumented() {
        String finished = reference("oas-finished-batch");
        String paid = reference("oas-batch-paid");
        post("/api/payouts", instruction(paid, "8760673566", 50000).replace("}", ",\"batch\":\"" + finished + "\"}"));
        awaitFinal(paid);
        for (String action : List.of("cancel", "approve", "reject")) {
            String path = "/api/batches/" + finished + "/" + action;
            assertThat(call("POST", path, "", API_KEY).status()).as(path).isEqualTo(409);
            assertThat(call("POST", path, "", null).status()).as(path).isEqualTo(401);
            assertThat(call("POST", path, "", READER_KEY).status()).as(path).isEqualTo(403);
            assertThat(call("POST", "/api/batches/no-such-batch/" + action, "", API_KEY).status()).as(path)
                    .isEqualTo(404);
            assertThat(call("POST", path, "{\"colour\":\"red\"}", API_KEY).status()).as(path).isEqualTo(400);
            assertThat(call("POST", path, "note", API_KEY, "text/plain").status()).as(path).isEqualTo(415);

            String batch = reference("oas-waiting-batch");
            String waiting = reference("oas-batched-waiting");
            post("/api/payouts", instruction(waiting, "8760673566", APPROVAL_ABOVE).replace("}", ",\"batch\":\""
                    + batch + "\"}"), SUBMITTER_KEY);
            await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(waiting) != null
                    && Payout.AWAITING_APPROVAL.equals(ledger.find(waiting).getStatus()));
            assertThat(call("POST", "/api/batches/" + batch + "/" + action, "{\"note\":\"n\"}", API_KEY).json())
                    .containsEntry("changed", 1);
        }
        String own = reference("oas-own-batch");
        String waiting = reference("oas-own-waiting");
        post("/api/payouts", instruction(waiting, "8760673566", APPROVAL_ABOVE).replace("}", ",\"batch\":\"" + own
                + "\"}"));
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(waiting) != null
                && Payout.AWAITING_APPROVAL.equals(ledger.find(waiting).getStatus()));
        assertThat(call("POST", "/api/batches/" + own + "/approve", "", API_KEY).json()).containsEntry("changed", 0);
    }

    @Test
    @Order(19)
    void providerActionsAnswerAsDocumented() {
        assertThat(call("GET", "/api/providers", null, READER_KEY).json()).containsKey("items");
        assertThat(call("GET", "/api/providers", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/providers", null, SUBMITTER_KEY).status()).isEqualTo(403);
        for (String action : List.of("pause", "resume")) {
            String path = "/api/providers/durianpay/" + action;
            assertThat(call("POST", path, "{\"note\":\"maintenance\"}", OPERATOR_KEY).json())
                    .containsEntry("paused", "pause".equals(action));
            assertThat(call("POST", path, "", null).status()).as(path).isEqualTo(401);
            assertThat(call("POST", path, "", READER_KEY).status()).as(path).isEqualTo(403);
            assertThat(call("POST", "/api/providers/nobody/" + action, "", OPERATOR_KEY).status()).as(path)
                    .isEqualTo(404);
            assertThat(call("POST", path, "{\"note\":1}", OPERATOR_KEY).status()).as(path).isEqualTo(400);
            assertThat(call("POST", path, "note", OPERATOR_KEY, "text/plain").status()).as(path).isEqualTo(415);
        }
    }

    /** A payout submitted by {@code key} that waits for approval. */
    private String awaitingApproval(String key) {
        String reference = reference("oas-approval");
        post("/api/payouts", instruction(reference, "8760673566", APPROVAL_ABOVE), key);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference) != null
                && Payout.AWAITING_APPROVAL.equals(ledger.find(reference).getStatus()));
        return reference;
    }

    @Test
    @Order(17)
    void statsAndWhoamiAnswerAsDocumented() {
        String reference = reference("oas-stats");
        post("/api/payouts", instruction(reference, "8760673566", 50000));
        awaitFinal(reference);
        java.time.Instant now = java.time.Instant.now();
        Answer day = call("GET", "/api/stats?from=" + now.minusSeconds(86_400) + "&to=" + now.plusSeconds(60), null,
                READER_KEY);
        assertThat((Map<String, Object>) day.json().get("counts")).containsKey("SUCCEEDED");
        assertThat(((Map<String, Number>) day.json().get("counts")).get("SUCCEEDED").longValue()).isPositive();
        Answer minutes = call("GET", "/api/stats?from=" + now.minusSeconds(600) + "&bucket=minute", null,
                READER_KEY);
        assertThat((List<?>) minutes.json().get("series")).hasSizeBetween(10, 11);
        assertThat(call("GET", "/api/stats", null, READER_KEY).status()).isEqualTo(400);
        assertThat(call("GET", "/api/stats?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", null, READER_KEY)
                .status()).isEqualTo(400);
        assertThat(call("GET", "/api/stats?from=2026-01-01T00:00:00Z", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/stats?from=2026-01-01T00:00:00Z", null, SUBMITTER_KEY).status()).isEqualTo(403);

        assertThat(call("GET", "/api/whoami", null, READER_KEY).json()).containsEntry("name", "reader")
                .containsEntry("roles", List.of("read"));
        assertThat(call("GET", "/api/whoami", null, SUBMITTER_KEY).json()).containsEntry("roles", List.of("submit"));
        assertThat(call("GET", "/api/whoami", null, "wrong").status()).isEqualTo(401);
    }

    @Test
    @Order(90)
    void everyDocumentedResponseWasAnsweredByTheGateway() {
        Map<String, Set<String>> documented = new TreeMap<>();
        operations().forEach((operation, op) -> documented.put(operation, new TreeSet<>(op.getResponses().keySet())));
        Map<String, Set<String>> seen = new TreeMap<>();
        exercised.forEach((operation, codes) -> seen.put(operation, new TreeSet<>(codes)));
        assertThat(seen).isEqualTo(documented);
    }

    // ---- (d) the request schema agrees with the instruction parser -----------------------------

    @Test
    @Order(20)
    void theRequiredFieldsAreTheOnesTheApiAsksFor() {
        JsonNode instructionSchema = node("/components/schemas/PayoutInstruction");
        Set<String> topLevel = strings(instructionSchema.get("required"));
        Set<String> unlessCashOut = strings(instructionSchema.get("else").get("required"));
        Set<String> forCashOut = strings(instructionSchema.get("then").get("required"));

        Set<String> askedForEmpty = requiredNamedByTheApi("{}");
        assertThat(union(topLevel, unlessCashOut)).as("required of an instruction without method")
                .isEqualTo(askedForEmpty);
        assertThat(missingAccordingToTheSchema("{}")).isEqualTo(askedForEmpty);

        Set<String> askedForCashOut = requiredNamedByTheApi("{\"method\":\"CASHOUT\"}");
        assertThat(union(topLevel, forCashOut)).as("required of a cash out").isEqualTo(askedForCashOut);
        assertThat(missingAccordingToTheSchema("{\"method\":\"CASHOUT\"}")).isEqualTo(askedForCashOut);
    }

    @Test
    @Order(21)
    void theDocumentsExampleRequestsAreValidAndAccepted() {
        JsonNode examples = node("/paths/~1api~1payouts/post/requestBody/content/application~1json/examples");
        JsonSchema schema = schema("/components/schemas/PayoutInstruction");
        assertThat(examples.size()).isGreaterThanOrEqualTo(3);
        examples.fields().forEachRemaining(example -> {
            ObjectNode sample = example.getValue().get("value").deepCopy();
            sample.put("reference", reference("oas-example"));
            assertValid(schema, sample, example.getKey());
            assertThat(call("POST", "/api/payouts", sample.toString(), API_KEY).status()).as(example.getKey())
                    .isEqualTo(202);
        });
    }

    @Test
    @Order(22)
    void whatTheSchemaForbidsTheApiRejectsNamingTheField() {
        String longText = "x".repeat(256);
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("reference", "{\"reference\":\"has space\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000}");
        invalid.put("reference ", "{\"reference\":\"..\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000}");
        invalid.put("amount ", "{\"reference\":\"x1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":9999}");
        invalid.put("accountName ", base("\"accountName\":\"Siti\\u001b[31m\""));
        invalid.put("address", base("\"address\":\"Jl. Merdeka\\u202e1\""));
        invalid.put("provider", base("\"provider\":\"paypal\""));
        invalid.put("method", base("\"method\":\"WIRE\""));
        invalid.put("bankCode", "{\"reference\":\"x1\",\"bankCode\":\"14a\",\"accountNumber\":\"8760673566\",\"amount\":50000}");
        invalid.put("accountNumber", "{\"reference\":\"x1\",\"bankCode\":\"014\",\"accountNumber\":\"12\",\"amount\":50000}");
        invalid.put("amount", "{\"reference\":\"x1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":0}");
        invalid.put("accountName", base("\"accountName\":\"" + longText + "\""));
        invalid.put("purpose", base("\"purpose\":\"" + longText + "\""));
        invalid.put("senderId", base("\"senderId\":\"abc\""));
        invalid.put("senderName", base("\"senderName\":\"" + longText + "\""));
        invalid.put("email", base("\"email\":\"not-an-address\""));
        invalid.put("phoneNumber", base("\"phoneNumber\":\"12\""));
        invalid.put("colour", base("\"colour\":\"red\""));
        invalid.put("batch", base("\"batch\":\"payroll/12.csv\""));
        invalid.put("batch ", base("\"batch\":\"..\""));
        invalid.put(" batch", base("\"batch\":\"payroll-2027-01.CSV\""));
        invalid.put("bankCode ", "{\"reference\":\"x1\",\"method\":\"CASHOUT\",\"bankCode\":\"014\",\"amount\":150000,"
                + "\"accountName\":\"Siti\",\"phoneNumber\":\"081234567150\",\"identityNumber\":\"3174\","
                + "\"address\":\"Jl. Merdeka 1\"}");
        JsonSchema schema = schema("/components/schemas/PayoutInstruction");
        invalid.forEach((field, body) -> {
            assertThat(schema.validate(read(body))).as("schema accepts a bad " + field).isNotEmpty();
            Answer answer = call("POST", "/api/payouts", body, API_KEY);
            assertThat(answer.status()).as(field).isEqualTo(400);
            assertThat((List<String>) answer.json().get("problems")).as(field)
                    .anyMatch(problem -> problem.startsWith(field.trim() + ":"));
        });
        // ...and the smallest and largest instructions the schema allows are accepted.
        for (String body : List.of(instruction(reference("oas-min"), "12345", 10000),
                "{\"reference\":\"" + reference("oas-max") + "\",\"provider\":\"duitku\",\"method\":\"RTGS\","
                        + "\"bankCode\":\"0140\",\"accountNumber\":\"" + "1".repeat(34) + "\",\"amount\":100000000,"
                        + "\"accountName\":\"" + "y".repeat(255) + "\",\"purpose\":\"p\",\"senderId\":\""
                        + "9".repeat(18) + "\",\"senderName\":\"s\",\"email\":\"a@b.co\",\"phoneNumber\":\"+6281234567\","
                        + "\"identityNumber\":\"1\",\"address\":\"a\"}")) {
            assertValid(schema, read(body), body);
            assertThat(call("POST", "/api/payouts", body, API_KEY).status()).as(body).isEqualTo(202);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    record Answer(int status, String contentType, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return new Response(status, body).json();
        }
    }

    /**
     * Calls the gateway and checks the answer against the document: the status must be one the
     * operation documents, the media type its documented one, the body valid against its schema.
     */
    private Answer call(String method, String pathAndQuery, String body, String apiKey) {
        return call(method, pathAndQuery, body, apiKey, "application/json");
    }

    private Answer call(String method, String pathAndQuery, String body, String apiKey, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Answer answer = new Answer(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());

        String path = pathAndQuery.replaceFirst("\\?.*", "");
        String template = documentedPath(path);
        String operation = method + " " + template;
        String code = String.valueOf(answer.status());
        String operationPointer = "/paths/" + escape(template) + "/" + method.toLowerCase();
        assertThat(node(operationPointer)).as(operation + " is documented").isNotNull();
        JsonNode documentedResponse = node(operationPointer + "/responses").get(code);
        assertThat(documentedResponse).as(operation + " answered " + code + " " + answer.body()
                + ", which is not documented").isNotNull();
        String responsePointer = operationPointer + "/responses/" + code;
        if (documentedResponse.has("$ref")) {
            responsePointer = documentedResponse.get("$ref").asText().substring(1);
        }
        JsonNode content = node(responsePointer).get("content");
        assertThat(content).as(operation + " " + code + " has a documented body").isNotNull();
        String mediaType = answer.contentType().replaceFirst(";.*", "").trim();
        assertThat(content.has(mediaType)).as(operation + " " + code + " answered Content-Type '"
                + answer.contentType() + "', documented " + content.fieldNames().next()).isTrue();
        JsonNode instance = mediaType.endsWith("json") ? read(answer.body())
                : JSON.getNodeFactory().textNode(answer.body());
        assertValid(schema(responsePointer + "/content/" + escape(mediaType) + "/schema"), instance,
                operation + " " + code);
        exercised.computeIfAbsent(operation, any -> ConcurrentHashMap.newKeySet()).add(code);
        return answer;
    }

    /** The document's path template that matches a concrete path (e.g. /api/payouts/r1). */
    private String documentedPath(String path) {
        for (String template : api.getPaths().keySet()) {
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                return template;
            }
        }
        throw new AssertionError(path + " matches no path of " + DOCUMENT);
    }

    private Set<String> requiredNamedByTheApi(String body) {
        Answer answer = call("POST", "/api/payouts", body, API_KEY);
        assertThat(answer.status()).isEqualTo(400);
        Set<String> fields = new TreeSet<>();
        for (Object problem : (List<?>) answer.json().get("problems")) {
            Matcher matcher = REQUIRED_PROBLEM.matcher(problem.toString());
            if (matcher.find()) {
                fields.add(matcher.group(1));
            }
        }
        return fields;
    }

    private Set<String> missingAccordingToTheSchema(String body) {
        return schema("/components/schemas/PayoutInstruction").validate(read(body)).stream()
                .filter(message -> "required".equals(message.getType()))
                .map(ValidationMessage::getProperty)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Map<String, Operation> operations() {
        Map<String, Operation> operations = new TreeMap<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            path.getValue().readOperationsMap().forEach(
                    (method, operation) -> operations.put(method.name() + " " + path.getKey(), operation));
        }
        return operations;
    }

    private JsonSchema schema(String pointer) {
        return schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer), config);
    }

    private void assertValid(JsonSchema schema, JsonNode instance, String what) {
        Set<ValidationMessage> problems = schema.validate(instance);
        assertThat(problems).as(what + ": " + instance).isEmpty();
    }

    private JsonNode node(String pointer) {
        JsonNode node = document.at(pointer);
        return node.isMissingNode() ? null : node;
    }

    private static String escape(String pointerSegment) {
        return pointerSegment.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String base(String extra) {
        return "{\"reference\":\"x1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000,"
                + extra + "}";
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    private static String resourceText() throws IOException {
        try (InputStream in = OpenApiContractTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(field.getValue(), pointer + "/" + escape(field.getKey()), visitor);
            }
        }
    }
}
