package id.camelpayouts;

import java.math.BigInteger;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import id.camelpayouts.api.ApiKeys;
import id.camelpayouts.durianpay.PemKeys;

/**
 * With {@code payouts.profile=prod} (PAYOUTS_PROFILE) the gateway refuses to start on anything
 * that only makes sense on a developer's machine: a development credential or key, the twin, a
 * provider's sandbox, a provider, callback or webhook address that is not https, a broker open to
 * anyone; and on a profile that is neither dev nor prod. Keys are
 * recognised by their content (their RSA modulus), so a copy of a development key elsewhere is
 * refused too, and an API key with every role (approving needs other hands than submitting).
 * Messages name settings, never their values.
 */
final class ProductionGuard {

    static final String DEV_API_KEY = "dev-api-key";
    static final String DUITKU_SANDBOX_SECRET = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";
    /** The twin's key pairs ship in the jar: whoever has the jar can sign with them. */
    private static final List<String> DEV_KEYS = List.of("classpath:twin/dev-keys/merchant-public.pem",
            "classpath:twin/dev-keys/durianpay-public.pem");
    static final String ACCEPTOR_WITHOUT_USERS = "PAYOUTS_JMS_ACCEPTOR is on without broker users: set"
            + " PAYOUTS_JMS_PRODUCER_PASSWORD and/or PAYOUTS_JMS_CONSUMER_PASSWORD";

    private ProductionGuard() {
    }

    /**
     * Whether payouts.profile (PAYOUTS_PROFILE) is {@code prod}, in any case. Anything but
     * {@code dev} or {@code prod} stops the start: a {@code PROD}, {@code Production} or
     * {@code prd} ran as a development gateway, without any of the guard's refusals and with the
     * default key's every role.
     */
    static boolean production(String profile) {
        String named = profile == null ? "" : profile.trim().toLowerCase(java.util.Locale.ROOT);
        if (!"prod".equals(named) && !"dev".equals(named)) {
            throw new IllegalStateException("PAYOUTS_PROFILE (payouts.profile) must be dev or prod (in any case)");
        }
        return "prod".equals(named);
    }

    /** Every reason the configuration is unfit for production, in one list; empty when it is fit. */
    static List<String> problems(Function<String, String> property) {
        Function<String, String> setting = key -> property.apply(key) == null ? "" : property.apply(key).trim();
        List<String> problems = new ArrayList<>();
        refuse(problems, isDevelopmentKey(setting.apply("payouts.api-key")), "PAYOUTS_API_KEY is the development key");
        apiKeyProblem(setting.apply("payouts.api-keys")).ifPresent(problems::add);
        refuse(problems, DUITKU_SANDBOX_SECRET.equals(setting.apply("duitku.secret-key")),
                "DUITKU_SECRET_KEY is the public sandbox key");
        refuse(problems, setting.apply("duitku.email").toLowerCase(java.util.Locale.ROOT).endsWith("@example.com"),
                "DUITKU_EMAIL is the development placeholder");
        refuse(problems, Boolean.parseBoolean(setting.apply("payouts.twin")),
                "PAYOUTS_TWIN is on: payouts would go to the local twin");
        // Durianpay's credentials and keys are looked at only when Durianpay is configured (a
        // Duitku-only gateway sets none of them).
        if (Providers.CREDENTIALS.get(Providers.DURIANPAY).stream().anyMatch(key -> !setting.apply(key).isEmpty())) {
            refuse(problems, "dev-client-key".equals(setting.apply("durianpay.client-key")),
                    "DURIANPAY_CLIENT_KEY is the development key");
            refuse(problems, "dev-client-secret".equals(setting.apply("durianpay.client-secret")),
                    "DURIANPAY_CLIENT_SECRET is the development secret");
            refuse(problems, "dev-merchant".equals(setting.apply("durianpay.merchant-id")),
                    "DURIANPAY_MERCHANT_ID is the development merchant");
            privateKeyProblem(setting.apply("durianpay.private-key")).ifPresent(problems::add);
            publicKeyProblem(setting.apply("durianpay.public-key")).ifPresent(problems::add);
            sandbox(problems, setting, "durianpay.base-url", "DURIANPAY_BASE_URL", "Durianpay");
        }
        // A sandbox pays nobody: its SUCCEEDED would be money never sent (the defaults are the
        // sandboxes', for a first try), and sandbox path names on the production host fail every call.
        if (Providers.CREDENTIALS.get(Providers.DUITKU).stream().anyMatch(key -> !setting.apply(key).isEmpty())) {
            refuse(problems, Boolean.parseBoolean(setting.apply("duitku.sandbox")),
                    "DUITKU_SANDBOX is on: payouts would go to Duitku's sandbox path names");
            sandbox(problems, setting, "duitku.base-url", "DUITKU_BASE_URL", "Duitku");
            sandbox(problems, setting, "duitku.cashout-url", "DUITKU_CASHOUT_URL", "Duitku");
        }
        httpsOnly(problems, setting, "duitku.base-url", "DUITKU_BASE_URL", true);
        httpsOnly(problems, setting, "duitku.cashout-url", "DUITKU_CASHOUT_URL", true);
        httpsOnly(problems, setting, "duitku.cashout-callback-url", "DUITKU_CASHOUT_CALLBACK_URL", false);
        httpsOnly(problems, setting, "durianpay.base-url", "DURIANPAY_BASE_URL", true);
        httpsOnly(problems, setting, "payouts.webhook.url", "PAYOUTS_WEBHOOK_URL", false);
        refuse(problems, !setting.apply("payouts.webhook.url").isEmpty() && setting.apply("payouts.webhook.key")
                .isEmpty(), "PAYOUTS_WEBHOOK_KEY must be set: PAYOUTS_WEBHOOK_URL is");
        refuse(problems, !setting.apply("payouts.jms.url").isEmpty() && (setting.apply("payouts.jms.user").isEmpty()
                || setting.apply("payouts.jms.password").isEmpty()), "PAYOUTS_JMS_URL is set without"
                        + " PAYOUTS_JMS_USER and PAYOUTS_JMS_PASSWORD: the gateway would use the broker anonymously");
        refuse(problems, brokerTlsUnchecked(setting.apply("payouts.jms.url")), "PAYOUTS_JMS_URL turns off the"
                + " broker's certificate or host name check: anyone in between could read and send");
        refuse(problems, acceptorWithoutUsers(setting), ACCEPTOR_WITHOUT_USERS);
        return problems;
    }

    /** The development key, as itself or as its {@code sha256:} hash (any case). */
    private static boolean isDevelopmentKey(String key) {
        return DEV_API_KEY.equals(key) || key.regionMatches(true, 0, "sha256:", 0, 7)
                && key.substring(7).equalsIgnoreCase(java.util.HexFormat.of().formatHex(ApiKeys.sha256(DEV_API_KEY)));
    }

    /**
     * An Artemis URL whose connectors, as Artemis itself reads them, trust any certificate or skip
     * the host name check (Artemis checks both by default). A URL Artemis cannot read is left to
     * the connection, which fails on it.
     */
    private static boolean brokerTlsUnchecked(String url) {
        if (url.isEmpty()) {
            return false;
        }
        try (ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(url)) {
            return Arrays.stream(broker.getStaticConnectors()).map(TransportConfiguration::getParams)
                    .anyMatch(params -> isTrue(params.get(TransportConstants.TRUST_ALL_PROP_NAME))
                            || params.containsKey(TransportConstants.VERIFY_HOST_PROP_NAME)
                                    && !isTrue(params.get(TransportConstants.VERIFY_HOST_PROP_NAME)));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static boolean isTrue(Object option) {
        return option != null && Boolean.parseBoolean(option.toString().trim());
    }

    /**
     * A network acceptor of the embedded broker (there is none with an external broker) that nobody
     * outside the gateway could log in to.
     */
    static boolean acceptorWithoutUsers(Function<String, String> setting) {
        String acceptor = setting.apply("payouts.jms.acceptor");
        return blank(setting.apply("payouts.jms.url")) && !blank(acceptor) && !acceptor.startsWith("vm:")
                && blank(setting.apply("payouts.jms.producer-password"))
                && blank(setting.apply("payouts.jms.consumer-password"));
    }

    /**
     * A named key with every role (PAYOUTS_API_KEY has submit and read only in prod). The entries
     * are named by their names, never their keys.
     */
    private static Optional<String> apiKeyProblem(String namedKeys) {
        List<ApiKeys.Key> keys;
        try {
            keys = ApiKeys.parse(namedKeys);
        } catch (IllegalArgumentException invalid) {
            return Optional.of(invalid.getMessage());
        }
        byte[] devKey = ApiKeys.sha256(DEV_API_KEY);
        List<String> dev = keys.stream().filter(key -> java.security.MessageDigest.isEqual(key.sha256(), devKey))
                .map(key -> "'" + key.name() + "'").toList();
        if (!dev.isEmpty()) {
            return Optional.of("PAYOUTS_API_KEYS gives " + String.join(", ", dev) + " the development key");
        }
        List<String> almighty = keys.stream().filter(ApiKeys.Key::hasEveryRole).map(key -> "'" + key.name() + "'")
                .toList();
        return almighty.isEmpty() ? Optional.empty() : Optional.of("PAYOUTS_API_KEYS gives every role ("
                + String.join(", ", ApiKeys.ROLES) + ") to " + String.join(", ", almighty)
                + ": in prod a key that submits payouts must not also approve them; give each key only its roles");
    }

    private static Optional<String> privateKeyProblem(String key) {
        return keyProblem("DURIANPAY_PRIVATE_KEY", "private", () -> PemKeys.privateKey(key),
                "the twin's development key, which ships in the jar");
    }

    private static Optional<String> publicKeyProblem(String key) {
        return keyProblem("DURIANPAY_PUBLIC_KEY", "public", () -> PemKeys.publicKey(key), "the twin's development"
                + " key, whose private key ships in the jar: anyone could sign notifications with it");
    }

    private static Optional<String> keyProblem(String name, String kind, Supplier<java.security.Key> key,
            String devKey) {
        BigInteger modulus;
        try {
            modulus = ((RSAKey) key.get()).getModulus();
        } catch (RuntimeException unreadable) {
            return Optional.of(name + " is not a readable RSA " + kind + " key");
        }
        return devModuli().contains(modulus) ? Optional.of(name + " is " + devKey) : Optional.empty();
    }

    /** The moduli of the twin's key pairs: a key with one of them is a development key, whatever its file. */
    private static Set<BigInteger> devModuli() {
        return Set.copyOf(DEV_KEYS.stream().map(pem -> ((RSAKey) PemKeys.publicKey(pem)).getModulus()).toList());
    }

    /** A provider URL whose host is one of the provider's sandboxes (sandbox.duitku.com, api-sandbox.durianpay.id...). */
    private static void sandbox(List<String> problems, Function<String, String> setting, String key, String name,
            String provider) {
        String host = setting.apply(key).toLowerCase(java.util.Locale.ROOT).replaceFirst("^[a-z][a-z0-9+.-]*://", "")
                .replaceFirst("[/?#].*$", "");
        refuse(problems, host.contains("sandbox"), name + " is " + provider + "'s sandbox: nothing would be paid");
    }

    private static void httpsOnly(List<String> problems, Function<String, String> setting, String key, String name,
            boolean required) {
        String url = setting.apply(key);
        if ((required || !url.isEmpty()) && !url.startsWith("https://")) {
            problems.add(name + " must be an https:// URL");
        }
    }

    private static void refuse(List<String> problems, boolean refused, String problem) {
        if (refused) {
            problems.add(problem);
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
