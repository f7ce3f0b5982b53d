package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Queue;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import id.camelpayouts.twin.TwinFault;

/**
 * Everything logged while the gateway starts, pays, fails, times out and refuses bad requests
 * (the gateway's own loggers and routes at DEBUG) is captured and searched for the Duitku secret
 * key, the API keys (PAYOUTS_API_KEY and every named one) and any full account number.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogSecrecyTest extends GatewayTestSupport {

    static final String SECRET_KEY = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";
    static final List<String> ACCOUNTS = List.of("8760673566", "8760673511", "8760673561", "8760673562",
            "9988776655", "31415926535", "081234567150", "3174012345678901", "2718281828");
    static final List<String> CASH_OUT_SECRETS = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Attached before the gateway starts, so start-up logging is captured too.
    static final CapturedLog CAPTURED = CapturedLog.attach("secrecy-capture");
    static final Queue<String> LOGGED = CAPTURED.lines();

    static {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        config.getRootLogger().setLevel(Level.INFO); // what production logs (the test default is WARN)
        for (String name : List.of("id.camelpayouts", "duitku-call", "duitku-transfer",
                "duitku-transfer-send", "duitku-transfer-status", "submit-payout", "route-payout")) {
            LoggerConfig debug = new LoggerConfig(name, Level.DEBUG, true);
            config.addLogger(name, debug);
        }
        logging.updateLoggers();
    }

    @Test
    @Order(1)
    void payoutsOfEveryKindAreLogged() {
        List<String> references = List.of(reference("log"), reference("log"), reference("log"),
                reference("log"), reference("log"));
        post("/api/payouts", instruction(references.get(0), "8760673566", 50000)); // succeeds
        post("/api/payouts", instruction(references.get(1), "8760673511", 50000)); // inquiry TO, retried, fails
        post("/api/payouts", instruction(references.get(2), "8760673561", 50000)); // transfer TO, reconciled
        post("/api/payouts", instruction(references.get(3), "8760673562", 50000)); // declined -510
        twin.faults().next("transfersandbox", TwinFault.DROP_AFTER);
        post("/api/payouts", instruction(references.get(4), "9988776655", 50000)); // connection dropped
        references.forEach(this::awaitFinal);
        // a Durianpay payout: the SNAP client secret signs every call, never reaches the log
        String viaDurianpay = reference("log-dp");
        post("/api/payouts", "{\"reference\":\"" + viaDurianpay + "\",\"provider\":\"durianpay\","
                + "\"bankCode\":\"014\",\"accountNumber\":\"2718281828\",\"amount\":50000}");
        awaitFinal(viaDurianpay);
        // a Pos Indonesia cash out: its token and PIN go to the merchant, never to the log
        String cashOut = reference("log-cash");
        post("/api/payouts", "{\"reference\":\"" + cashOut + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2011\","
                + "\"amount\":150000,\"accountName\":\"Siti\",\"phoneNumber\":\"081234567150\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jakarta\"}");
        awaitFinal(cashOut);
        java.util.Map<String, Object> outcome = get("/api/payouts/" + cashOut).json();
        CASH_OUT_SECRETS.add(String.valueOf(outcome.get("token")));
        CASH_OUT_SECRETS.add(String.valueOf(outcome.get("pin")));
        // bad input carrying an account number, a wrong key, a conflicting repeat
        post("/api/payouts", "{\"reference\":\"log-bad\",\"accountNumber\":\"31415926535\",\"amount\":\"x\"}");
        send(HttpRequest.newBuilder(uri("/api/payouts")).header("X-API-Key", SECRET_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(instruction("log-key", "31415926535", 1))));
        post("/api/payouts", instruction(references.get(0), "31415926535", 50000));
        get("/api/balance");
    }

    @Test
    @Order(2)
    void noSecretNoCashOutTokenAndNoFullAccountNumberWasLogged() {
        assertThat(CASH_OUT_SECRETS).hasSize(2).allSatisfy(secret -> assertThat(secret).isNotEqualTo("null"));
        assertThat(LOGGED).as("something was captured").anySatisfy(line -> assertThat(line).contains("SUCCEEDED"));
        assertThat(LOGGED).as("DEBUG lines of the routes were captured")
                .anySatisfy(line -> assertThat(line).contains("Duitku transfer"));
        for (String line : LOGGED) {
            assertThat(line).doesNotContain(SECRET_KEY).doesNotContain(API_KEY).doesNotContain("dev-client-secret");
            // the named keys of PAYOUTS_API_KEYS: Camel's start-up summary printed the setting whole
            for (String key : List.of(READER_KEY, OPERATOR_KEY, APPROVER_KEY, CHECKER_KEY)) {
                assertThat(line).doesNotContain(key);
            }
            for (String account : ACCOUNTS) {
                assertThat(line).doesNotContain(account);
            }
            for (String tokenOrPin : CASH_OUT_SECRETS) {
                assertThat(line).doesNotContain(tokenOrPin);
            }
        }
    }

    @AfterAll
    static void detach() {
        CAPTURED.detachToWarn();
    }
}
