package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * payouts.profile=prod refuses every development credential, key and address: each rule on its own
 * (a configuration fit for production with just that one setting changed), and all of them at once,
 * named in one message, when the gateway is started on application.properties' defaults.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionGuardTest {

    @TempDir
    static Path keys;
    /** A configuration fit for production: its own RSA keys, https everywhere, broker users set. */
    final Map<String, String> production = new HashMap<>();

    @BeforeAll
    void productionConfiguration() throws Exception {
        KeyPair ours = rsaKeyPair();
        KeyPair durianpays = rsaKeyPair();
        production.putAll(Map.ofEntries(Map.entry("payouts.api-key", "k-7f1e2d"),
                Map.entry("payouts.api-keys", "erp:k-erp-31:submit,read;oncall:sha256:"
                        + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08:read,operate;checker:k-chk-5:approve"),
                Map.entry("payouts.twin", "false"),
                Map.entry("duitku.base-url", "https://passport.duitku.com/webapi/api/disbursement"),
                Map.entry("duitku.cashout-url", "https://disbursement.duitku.com/api/cashout"),
                Map.entry("duitku.cashout-callback-url", "https://payouts.example.id/callbacks/duitku/cashout"),
                Map.entry("duitku.sandbox", "false"), Map.entry("duitku.user-id", "12345"), Map.entry("duitku.email", "treasury@merchant.co.id"),
                Map.entry("duitku.secret-key", "s3cr3t"),
                Map.entry("durianpay.base-url", "https://api.durianpay.id"),
                Map.entry("durianpay.client-key", "ck-81"), Map.entry("durianpay.client-secret", "cs-81"),
                Map.entry("durianpay.merchant-id", "m-81"),
                Map.entry("durianpay.private-key", write("ours-private.pem", "PRIVATE KEY",
                        ours.getPrivate().getEncoded()).toString()),
                Map.entry("durianpay.public-key", write("durianpay-public.pem", "PUBLIC KEY",
                        durianpays.getPublic().getEncoded()).toString()),
                Map.entry("payouts.webhook.url", "https://erp.merchant.co.id/hooks/payouts"),
                Map.entry("payouts.webhook.key", "wh-1b4c9d0e7f"),
                Map.entry("payouts.jms.acceptor", "tcp://10.0.0.5:61616"),
                Map.entry("payouts.jms.producer-password", "pp-5a1"),
                Map.entry("payouts.jms.consumer-password", "cp-9c2")));
    }

    @Test
    void aConfigurationFitForProductionPasses() {
        assertThat(ProductionGuard.problems(production::get)).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("developmentSettings")
    void eachDevelopmentSettingIsRefusedOnItsOwn(String property, String value, String problem) {
        Map<String, String> configuration = new HashMap<>(production);
        configuration.put(property, resolve(value));
        assertThat(ProductionGuard.problems(configuration::get)).containsExactly(problem);
    }

    Stream<Arguments> developmentSettings() {
        String devPublicKey = "the twin's development key, whose private key ships in the jar:"
                + " anyone could sign notifications with it";
        return Stream.of(
                Arguments.of("payouts.api-key", "dev-api-key", "PAYOUTS_API_KEY is the development key"),
                // the development key given by its hash, as a named key may be
                Arguments.of("payouts.api-key", "sha256:6e1e4e1b8f8b36d08901cdb51b97841dfe20f5efd2fd2fd00768971408c46274",
                        "PAYOUTS_API_KEY is the development key"),
                Arguments.of("payouts.api-key", "SHA256:6E1E4E1B8F8B36D08901CDB51B97841DFE20F5EFD2FD2FD00768971408C46274",
                        "PAYOUTS_API_KEY is the development key"),
                Arguments.of("payouts.api-keys", "erp:k-erp-31:submit,read;boss:k-boss-9:approve,operate,read,submit",
                        "PAYOUTS_API_KEYS gives every role (submit, read, operate, approve) to 'boss': in prod a key that"
                                + " submits payouts must not also approve them; give each key only its roles"),
                Arguments.of("payouts.api-keys", "erp:k-erp-31:submit,pay",
                        "PAYOUTS_API_KEYS entry 1 ('erp'): roles are submit, read, operate, approve"),
                Arguments.of("payouts.api-keys", "erp:k-erp-31:submit;erp2:k-erp-31:read",
                        "API keys 'erp' and 'erp2' are the same key: give each its own"),
                // the development key is public (README): no less so in the list of named keys
                Arguments.of("payouts.api-keys", "erp:dev-api-key:submit,read",
                        "PAYOUTS_API_KEYS gives 'erp' the development key"),
                Arguments.of("payouts.api-keys", "erp:k-erp-31:submit;ops:sha256:6e1e4e1b8f8b36d08901cdb51b97841dfe20f5efd2fd2fd00768971408c46274:read",
                        "PAYOUTS_API_KEYS gives 'ops' the development key"),
                Arguments.of("duitku.email", "MERCHANT@EXAMPLE.COM",
                        "DUITKU_EMAIL is the development placeholder"),
                Arguments.of("duitku.secret-key", ProductionGuard.DUITKU_SANDBOX_SECRET,
                        "DUITKU_SECRET_KEY is the public sandbox key"),
                Arguments.of("duitku.email", "merchant@example.com",
                        "DUITKU_EMAIL is the development placeholder"),
                Arguments.of("payouts.twin", "true",
                        "PAYOUTS_TWIN is on: payouts would go to the local twin"),
                Arguments.of("durianpay.client-key", "dev-client-key",
                        "DURIANPAY_CLIENT_KEY is the development key"),
                Arguments.of("durianpay.client-secret", "dev-client-secret",
                        "DURIANPAY_CLIENT_SECRET is the development secret"),
                Arguments.of("durianpay.merchant-id", "dev-merchant",
                        "DURIANPAY_MERCHANT_ID is the development merchant"),
                Arguments.of("durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem",
                        "DURIANPAY_PRIVATE_KEY is the twin's development key, which ships in the jar"),
                Arguments.of("durianpay.private-key", "classpath:twin/dev-keys/durianpay-private.pem",
                        "DURIANPAY_PRIVATE_KEY is the twin's development key, which ships in the jar"),
                Arguments.of("durianpay.private-key", "copy:merchant-private.pem",
                        "DURIANPAY_PRIVATE_KEY is the twin's development key, which ships in the jar"),
                Arguments.of("durianpay.private-key", "text:merchant-private.pem",
                        "DURIANPAY_PRIVATE_KEY is the twin's development key, which ships in the jar"),
                Arguments.of("durianpay.public-key", "classpath:twin/dev-keys/durianpay-public.pem",
                        "DURIANPAY_PUBLIC_KEY is " + devPublicKey),
                Arguments.of("durianpay.public-key", "copy:durianpay-public.pem",
                        "DURIANPAY_PUBLIC_KEY is " + devPublicKey),
                Arguments.of("durianpay.public-key", "copy:merchant-public.pem",
                        "DURIANPAY_PUBLIC_KEY is " + devPublicKey),
                Arguments.of("durianpay.public-key", "text:durianpay-public.pem",
                        "DURIANPAY_PUBLIC_KEY is " + devPublicKey),
                Arguments.of("durianpay.public-key", "/nonexistent/durianpay-public.pem",
                        "DURIANPAY_PUBLIC_KEY is not a readable RSA public key"),
                Arguments.of("durianpay.private-key", "", "DURIANPAY_PRIVATE_KEY is not a readable RSA private key"),
                Arguments.of("duitku.base-url", "http://127.0.0.1:8089/webapi/api/disbursement",
                        "DUITKU_BASE_URL must be an https:// URL"),
                Arguments.of("duitku.cashout-url", "http://disbursement.duitku.com/api/cashout",
                        "DUITKU_CASHOUT_URL must be an https:// URL"),
                Arguments.of("duitku.cashout-callback-url", "http://payouts.example.id/callbacks/duitku/cashout",
                        "DUITKU_CASHOUT_CALLBACK_URL must be an https:// URL"),
                Arguments.of("durianpay.base-url", "http://127.0.0.1:8090",
                        "DURIANPAY_BASE_URL must be an https:// URL"),
                // the providers' sandboxes pay nobody: in prod a sandbox SUCCEEDED payout would be money never sent
                Arguments.of("duitku.sandbox", "true",
                        "DUITKU_SANDBOX is on: payouts would go to Duitku's sandbox path names"),
                Arguments.of("duitku.base-url", "https://sandbox.duitku.com/webapi/api/disbursement",
                        "DUITKU_BASE_URL is Duitku's sandbox: nothing would be paid"),
                Arguments.of("duitku.cashout-url", "https://disbursement-sandbox.duitku.com/api/cashout",
                        "DUITKU_CASHOUT_URL is Duitku's sandbox: nothing would be paid"),
                Arguments.of("durianpay.base-url", "https://API-SANDBOX.durianpay.id",
                        "DURIANPAY_BASE_URL is Durianpay's sandbox: nothing would be paid"),
                Arguments.of("payouts.webhook.url", "http://erp.merchant.co.id/hooks/payouts?token=t0k3n",
                        "PAYOUTS_WEBHOOK_URL must be an https:// URL"),
                Arguments.of("payouts.webhook.key", "",
                        "PAYOUTS_WEBHOOK_KEY must be set: PAYOUTS_WEBHOOK_URL is"),
                Arguments.of("payouts.jms.url", "tcp://broker:61616",
                        "PAYOUTS_JMS_URL is set without PAYOUTS_JMS_USER and PAYOUTS_JMS_PASSWORD:"
                                + " the gateway would use the broker anonymously"));
    }

    /** A provider nobody configured is not looked at: a Duitku-only gateway keeps Durianpay's default (sandbox) URL. */
    @Test
    void theSandboxOfAProviderNotConfiguredIsNoProblem() {
        Map<String, String> duitkuOnly = new HashMap<>(production);
        for (String durianpay : List.of("durianpay.client-key", "durianpay.client-secret", "durianpay.merchant-id",
                "durianpay.private-key", "durianpay.public-key")) {
            duitkuOnly.remove(durianpay);
        }
        duitkuOnly.put("durianpay.base-url", "https://api-sandbox.durianpay.id");
        assertThat(ProductionGuard.problems(duitkuOnly::get)).isEmpty();
    }

    /**
     * An external broker reached over TLS whose certificate or host name is not checked: anyone on
     * the way reads the broker password and every outcome (cash-out PINs included), and could
     * send instructions. Artemis checks both by default; the URL's options turn that off.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp://broker:61616?sslEnabled=true&trustAll=true",
        "tcp://broker:61616?sslEnabled=true&verifyHost=false", "(tcp://a:61616,tcp://b:61616)?sslEnabled=true&trustAll=TRUE",
        "(tcp://a:61616?sslEnabled=true,tcp://b:61616?sslEnabled=true&verifyHost=no)"})
    void anExternalBrokerWhoseTlsIsNotVerifiedIsRefused(String url) {
        Map<String, String> configuration = new HashMap<>(production);
        configuration.putAll(Map.of("payouts.jms.url", url, "payouts.jms.user", "gw", "payouts.jms.password", "pw-8d1"));
        assertThat(ProductionGuard.problems(configuration::get)).containsExactly("PAYOUTS_JMS_URL turns off the"
                + " broker's certificate or host name check: anyone in between could read and send");
        configuration.put("payouts.jms.url", "tcp://broker:61616?sslEnabled=true&trustStorePath=/etc/payouts/ca.p12");
        assertThat(ProductionGuard.problems(configuration::get)).isEmpty();
        configuration.put("payouts.jms.url", "tcp://broker:61616?sslEnabled=true&verifyHost=true&trustAll=false");
        assertThat(ProductionGuard.problems(configuration::get)).as("both checks named on").isEmpty();
    }

    @Test
    void anAcceptorWithoutBrokerUsersIsRefused() {
        Map<String, String> configuration = new HashMap<>(production);
        configuration.remove("payouts.jms.producer-password");
        configuration.remove("payouts.jms.consumer-password");
        assertThat(ProductionGuard.problems(configuration::get)).containsExactly("PAYOUTS_JMS_ACCEPTOR is on"
                + " without broker users: set PAYOUTS_JMS_PRODUCER_PASSWORD and/or PAYOUTS_JMS_CONSUMER_PASSWORD");
        configuration.put("payouts.jms.consumer-password", "cp-9c2");
        assertThat(ProductionGuard.problems(configuration::get)).as("a consumer alone is enough").isEmpty();
    }

    @Test
    void theGatewayOnApplicationPropertiesDefaultsRefusesToStartAndNamesEveryProblemInOneMessage() {
        Properties prod = withAcceptor("prod-data");
        prod.put("payouts.profile", "prod");
        prod.put("payouts.webhook.url", "http://erp.merchant.co.id/hooks/payouts");
        prod.put("payouts.webhook.key", "wh-1b4c9d0e7f");
        prod.put("duitku.cashout-callback-url", "http://payouts.example.id/callbacks/duitku/cashout");
        assertThat(refusalStarting(prod)).isEqualTo("refusing to start with payouts.profile=prod: "
                + String.join("; ", "PAYOUTS_API_KEY is the development key",
                        "DUITKU_SECRET_KEY is the public sandbox key",
                        "DUITKU_EMAIL is the development placeholder",
                        "PAYOUTS_TWIN is on: payouts would go to the local twin",
                        "DURIANPAY_CLIENT_KEY is the development key",
                        "DURIANPAY_CLIENT_SECRET is the development secret",
                        "DURIANPAY_MERCHANT_ID is the development merchant",
                        "DURIANPAY_PRIVATE_KEY is the twin's development key, which ships in the jar",
                        "DURIANPAY_PUBLIC_KEY is the twin's development key, whose private key ships in the jar:"
                                + " anyone could sign notifications with it",
                        "DURIANPAY_BASE_URL is Durianpay's sandbox: nothing would be paid",
                        "DUITKU_SANDBOX is on: payouts would go to Duitku's sandbox path names",
                        "DUITKU_BASE_URL is Duitku's sandbox: nothing would be paid",
                        "DUITKU_CASHOUT_URL is Duitku's sandbox: nothing would be paid",
                        "DUITKU_CASHOUT_CALLBACK_URL must be an https:// URL",
                        "PAYOUTS_WEBHOOK_URL must be an https:// URL",
                        "PAYOUTS_JMS_ACCEPTOR is on without broker users: set PAYOUTS_JMS_PRODUCER_PASSWORD"
                                + " and/or PAYOUTS_JMS_CONSUMER_PASSWORD"));
        assertThat(keys.resolve("prod-data").resolve("broker")).as("no broker was started").doesNotExist();
    }

    /**
     * PAYOUTS_PROFILE=PROD (or Prod) is prod: before, only the exact text "prod" was, and a gateway
     * configured PROD started as a development one, without one of the refusals above.
     */
    @ParameterizedTest
    @ValueSource(strings = {"PROD", "Prod", " prod "})
    void theProdProfileInAnyCaseIsGuarded(String profile) {
        Properties prod = withAcceptor("prod-case-" + profile.trim());
        prod.remove("payouts.jms.acceptor");
        prod.put("payouts.profile", profile);
        assertThat(refusalStarting(prod)).startsWith("refusing to start with payouts.profile=prod: "
                + "PAYOUTS_API_KEY is the development key; ");
    }

    /** A profile that is neither dev nor prod stops the start (before, it ran as dev). */
    @ParameterizedTest
    @ValueSource(strings = {"production", "prd", "staging", ""})
    void aProfileNeitherDevNorProdIsRefused(String profile) {
        Properties settings = withAcceptor("profile-" + profile);
        settings.remove("payouts.jms.acceptor");
        settings.put("payouts.profile", profile);
        assertThat(refusalStarting(settings)).isEqualTo("PAYOUTS_PROFILE (payouts.profile) must be dev or prod (in any case)");
        assertThat(keys.resolve("profile-" + profile).resolve("broker")).as("no broker was started").doesNotExist();
    }

    @Test
    void aBrokerAcceptorNobodyCouldLogInToIsRefusedInDevelopmentToo() {
        Properties dev = withAcceptor("dev-data");
        dev.put("payouts.twin", "false");
        assertThat(refusalStarting(dev)).isEqualTo(ProductionGuard.ACCEPTOR_WITHOUT_USERS);
        assertThat(keys.resolve("dev-data").resolve("broker")).as("no broker was started").doesNotExist();
    }

    /**
     * Another process listens on the API's port, the management port or a twin's (another gateway
     * on the same machine): the gateway refuses to start, naming the port, its setting and the
     * variable that chooses another. Before, Vert.x only logged the failed bind of the API and
     * health said UP for a gateway whose API and callbacks were another process's, and a twin's
     * port failed with a bare BindException.
     */
    @ParameterizedTest
    @MethodSource("ports")
    void aPortAnotherProcessListensOnIsRefusedNamingItsVariable(String portSetting, String variable)
            throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Properties dev = withAcceptor("port-taken-" + portSetting);
            dev.remove("payouts.jms.acceptor");
            dev.put("camel.management.enabled", "true");
            dev.put("camel.management.port", "0");
            dev.put("payouts.twin.port", "0");
            dev.put("payouts.twin.durianpay-port", "0");
            dev.put(portSetting, String.valueOf(taken.getLocalPort()));
            assertThat(refusalStarting(dev)).contains("port " + taken.getLocalPort()).contains(portSetting)
                    .contains("in use").contains(variable);
        }
    }

    /**
     * The outbox is the inbox (or the same folder by another path): every results file would be
     * read as a file of payouts, its results file again, and so on (each row refused, but a chain
     * of files in done/ until the names are too long). Refused in every profile, before anything
     * starts.
     */
    @Test
    void anOutboxThatIsTheInboxIsRefused() throws IOException {
        Path folder = Files.createDirectories(keys.resolve("drop"));
        Properties dev = withAcceptor("outbox-inbox");
        dev.remove("payouts.jms.acceptor");
        dev.put("payouts.inbox", folder.toString());
        dev.put("payouts.outbox", folder.resolve("..").resolve("drop").toString() + "/");
        assertThat(refusalStarting(dev)).isEqualTo("PAYOUTS_OUTBOX is the inbox (PAYOUTS_INBOX): its results files"
                + " would be read as payout files; give each its own folder");
    }

    static Stream<Arguments> ports() {
        return Stream.of(Arguments.of("camel.server.port", "PAYOUTS_HTTP_PORT"),
                Arguments.of("camel.management.port", "PAYOUTS_MANAGEMENT_PORT"),
                Arguments.of("payouts.twin.port", "PAYOUTS_TWIN_PORT"),
                Arguments.of("payouts.twin.durianpay-port", "PAYOUTS_TWIN_DURIANPAY_PORT"));
    }

    /** A gateway on application.properties, with a broker acceptor, its data under {@code dataDir}. */
    private static Properties withAcceptor(String dataDir) {
        Properties settings = new Properties();
        settings.put("camel.server.port", "0");
        settings.put("camel.management.enabled", "false");
        settings.put("payouts.db.url", "jdbc:h2:mem:" + dataDir);
        settings.put("payouts.data-dir", keys.resolve(dataDir).toString());
        settings.put("payouts.jms.acceptor", "tcp://127.0.0.1:0");
        return settings;
    }

    /** Why the gateway, configured as the jar is with these overrides, refuses to start. */
    private static String refusalStarting(Properties overrides) {
        Main gateway = new Main();
        gateway.configure().addConfiguration(GatewayConfiguration.class);
        gateway.setDefaultPropertyPlaceholderLocation("file:application.properties");
        gateway.setOverrideProperties(overrides);
        try {
            Throwable refused = catchThrowable(gateway::start);
            assertThat(refused).isInstanceOf(IllegalStateException.class);
            return refused.getMessage();
        } finally {
            gateway.stop();
        }
    }

    /** {@code copy:NAME}: a copy of the jar's dev key NAME in a temporary directory; {@code text:NAME}: its PEM text. */
    private String resolve(String value) {
        try {
            if (value.startsWith("copy:")) {
                String name = value.substring("copy:".length());
                Path copy = Files.createDirectories(keys.resolve("elsewhere")).resolve("renamed-" + name);
                Files.writeString(copy, devKey(name));
                return copy.toString();
            }
            return value.startsWith("text:") ? devKey(value.substring("text:".length())) : value;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String devKey(String name) throws IOException {
        try (InputStream in = ProductionGuardTest.class.getResourceAsStream("/twin/dev-keys/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private Path write(String name, String type, byte[] der) throws IOException {
        return Files.writeString(keys.resolve(name), "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n");
    }

    private static KeyPair rsaKeyPair() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
