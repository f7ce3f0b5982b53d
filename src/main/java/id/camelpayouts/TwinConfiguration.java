package id.camelpayouts;

import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.durianpay.PemKeys;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.twin.DuitkuTwin;
import id.camelpayouts.twin.DurianpayTwin;
import id.camelpayouts.twin.TwinHost;

/**
 * With {@code payouts.twin=true} the local twins stand in for the configured providers: each
 * serves its sandbox on a loopback port (payouts.twin.port, payouts.twin.durianpay-port; 0 = any
 * free port) and the provider's URLs point at it, whatever they were configured to. The twins
 * send their callbacks to where the application mounted the receiver blocks (the
 * {@code duitku-callbacks} and {@code durianpay-notifications} routes' {@code path}) on its
 * platform-http server; without a receiver, those payouts settle by status inquiry. They run on the
 * application's Vert.x ({@link SharedVertx}).
 */
final class TwinConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TwinConfiguration.class);
    private static final String HOST = "127.0.0.1";
    /** Where Durianpay posts below the URL registered with it (its transfer-bank.notify). */
    static final String DURIANPAY_NOTIFY_PATH = "/v1.0/transfer-bank/notify";

    private TwinConfiguration() {
    }

    static void standInForProviders(CamelContext context, Settings settings, Set<String> providers, Clock clock,
            PayoutLedger ledger) throws Exception {
        TwinHost.requireVertx(context);
        Vertx vertx = SharedVertx.of(context);
        if (providers.contains(Providers.DUITKU)) {
            DuitkuTwin duitku = duitkuTwin(settings, clock, vertx);
            // Started again on a ledger with payouts (the gateway's ./data): Duitku's numbering goes on.
            duitku.disburseIdsAbove(ledger.highestNumericProviderReference(Providers.DUITKU));
            context.addService(duitku, true, true);
            context.getRegistry().bind("payoutsDuitkuTwin", duitku);
            callbacksOnceListening(context, Blocks.DUITKU_CALLBACKS, "", duitku::callbacksTo);
        }
        if (providers.contains(Providers.DURIANPAY)) {
            DurianpayTwin durianpay = durianpayTwin(settings, clock, vertx);
            context.addService(durianpay, true, true);
            context.getRegistry().bind("payoutsDurianpayTwin", durianpay);
            callbacksOnceListening(context, Blocks.DURIANPAY_NOTIFICATIONS, DURIANPAY_NOTIFY_PATH,
                    durianpay::notifyTo);
        }
    }

    /**
     * Stops the twins and closes the Vert.x made for them ({@link SharedVertx}), for a context whose
     * configuration failed after they started: such a context is never started, hence never stopped.
     */
    static void stop(CamelContext context) {
        for (String name : List.of("payoutsDuitkuTwin", "payoutsDurianpayTwin")) {
            if (context.getRegistry().lookupByName(name) instanceof ServiceSupport twin) {
                twin.stop();
            }
        }
        SharedVertx.closeIfMadeHere(context);
    }

    private static DuitkuTwin duitkuTwin(Settings settings, Clock clock, Vertx vertx) {
        DuitkuTwin twin = new DuitkuTwin(new DuitkuTwin.Settings(HOST, settings.integer("payouts.twin.port"),
                Long.parseLong(settings.required("duitku.user-id")), settings.required("duitku.email"),
                settings.required("duitku.secret-key"), settings.number("payouts.twin.balance"),
                settings.duration("payouts.twin.latency").toMillis(),
                settings.duration("payouts.twin.slow-answer").toMillis(),
                settings.duration("payouts.twin.callback-delay").toMillis()), clock, vertx);
        int port = listening(twin, DuitkuTwin::port, settings, "payouts.twin.port");
        String configured = settings.text("duitku.base-url");
        String twinUrl = "http://" + HOST + ":" + port + DuitkuTwin.BASE_PATH;
        if (!configured.equals(twinUrl) && !configured.contains("sandbox.duitku.com")) {
            LOG.warn("PAYOUTS_TWIN is on: Duitku calls go to the twin, not to {}", configured);
        }
        settings.set("duitku.base-url", twinUrl);
        settings.set("duitku.cashout-url", "http://" + HOST + ":" + port + DuitkuTwin.CASHOUT_PATH);
        settings.set("duitku.sandbox", "true");
        return twin;
    }

    /** The Durianpay twin, with its own development key pairs (ours and Durianpay's stand-in). */
    private static DurianpayTwin durianpayTwin(Settings settings, Clock clock, Vertx vertx) throws IOException {
        DurianpayTwin twin = new DurianpayTwin(new DurianpayTwin.Settings(HOST,
                settings.integer("payouts.twin.durianpay-port"),
                settings.required("durianpay.client-key"), settings.required("durianpay.client-secret"),
                settings.required("durianpay.merchant-id"),
                PemKeys.publicKey("classpath:twin/dev-keys/merchant-public.pem"),
                PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                settings.number("payouts.twin.balance"),
                settings.duration("payouts.twin.callback-delay").toMillis(), 900), clock, vertx);
        settings.set("durianpay.base-url", "http://" + HOST + ":" + listening(twin, DurianpayTwin::port, settings, "payouts.twin.durianpay-port"));
        settings.set("durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem");
        settings.set("durianpay.public-key", "classpath:twin/dev-keys/durianpay-public.pem");
        return twin;
    }

    /**
     * Once the application's HTTP server listens, points a twin's callbacks at the first mounted
     * instance of the receiver block (its path, plus {@code below}); logs where they go, or that
     * nothing receives them.
     */
    private static void callbacksOnceListening(CamelContext context, String block, String below,
            Consumer<String> target) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> {
            List<Blocks.Instance> receivers = Blocks.instances(started, block);
            Optional<Integer> port = started.hasServices(MainHttpServer.class).stream().findFirst()
                    .map(server -> server.getRouter().getServer().getServer().actualPort());
            if (receivers.isEmpty() || port.isEmpty()) {
                LOG.info("Twin: no {} block is mounted on an HTTP server: its callbacks are not sent, those payouts"
                        + " settle by status inquiry (after payouts.reconcile.callback-wait)", block);
                return;
            }
            String url = "http://" + HOST + ":" + port.get() + receivers.get(0).parameter("path") + below;
            target.accept(url);
            LOG.info("Twin: callbacks of {} go to {}", block, url);
        });
    }

    /**
     * Starts a twin now, before the provider URLs are set, and answers the port it listens on: with
     * port 0 the system picks a free one as the twin binds it (a port looked up first and bound
     * later could be taken in between by another process). Its context starts it again as a no-op
     * and stops it with itself.
     */
    private static <T extends ServiceSupport> int listening(T twin, ToIntFunction<T> port, Settings settings,
            String portSetting) {
        try {
            twin.start();
        } catch (RuntimeException failed) {
            for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    String variable = Settings.environmentVariable(portSetting);
                    throw new IllegalStateException("port " + settings.text(portSetting) + " (" + portSetting
                            + ", a twin's) is in use by another process: " + cause.getMessage()
                            + "; choose another with " + variable + " (0: any free port)", failed);
                }
            }
            throw failed;
        }
        return port.applyAsInt(twin);
    }
}
