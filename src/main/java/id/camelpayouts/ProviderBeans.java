package id.camelpayouts;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import id.camelpayouts.duitku.CallbackHeaders;
import id.camelpayouts.duitku.DuitkuCallbackSteps;
import id.camelpayouts.duitku.DuitkuCallbacks;
import id.camelpayouts.duitku.DuitkuRequests;
import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.durianpay.DurianpayClient;
import id.camelpayouts.durianpay.DurianpayNotificationSteps;
import id.camelpayouts.durianpay.DurianpayNotifications;
import id.camelpayouts.durianpay.PemKeys;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The configured providers' request builders and callback verifiers, at the configured (or twin)
 * URLs (for a provider that is off, {@link ProvidersOff}), both providers' response-code tables, and the
 * callback routes' Java steps over them. Provider calls go through camel-http, whose
 * timeouts and pool are component properties ({@code camel.component.http.*} and
 * {@code https.*} in defaults.properties, from payouts.provider.*).
 */
final class ProviderBeans {

    private ProviderBeans() {
    }

    static void bind(CamelContext context, Settings settings, Set<String> providers, Clock clock) throws IOException {
        Registry registry = context.getRegistry();
        if (providers.contains(Providers.DUITKU)) {
            bindDuitku(registry, settings, clock);
        } else {
            registry.bind("payoutsDuitku", new ProvidersOff.Duitku(clock));
            registry.bind("payoutsDuitkuCallbacks", new ProvidersOff.DuitkuReceiver());
        }
        if (providers.contains(Providers.DURIANPAY)) {
            bindDurianpay(registry, settings, clock);
        } else {
            registry.bind("payoutsDurianpay", new ProvidersOff.Durianpay(clock));
            registry.bind("payoutsDurianpayNotifications", new ProvidersOff.DurianpayReceiver(clock));
        }
        bindResponseCodes(context, settings, Providers.DURIANPAY);
        bindResponseCodes(context, settings, Providers.DUITKU);
        bindCallbackSteps(registry);
    }

    /** The callback routes' Java steps, over the verifiers bound above, the ledger and the code tables. */
    private static void bindCallbackSteps(Registry registry) {
        PayoutLedger ledger = registry.lookupByNameAndType("payoutsLedger", PayoutLedger.class);
        DuitkuCallbackSteps duitku = new DuitkuCallbackSteps(
                registry.lookupByNameAndType("payoutsDuitkuCallbacks", DuitkuCallbacks.class), ledger,
                registry.lookupByNameAndType("payoutsDuitkuCodes", ResponseCodeTable.class));
        registry.bind(DuitkuCallbackSteps.CLEARING, duitku.clearing());
        registry.bind(DuitkuCallbackSteps.CASH_OUT, duitku.cashOut());
        registry.bind(DuitkuCallbackSteps.PAYOUT, duitku.payout());
        registry.bind(DuitkuCallbackSteps.RECORD_CLAIM, duitku.recordClaim());
        registry.bind(CallbackHeaders.NAME, new CallbackHeaders());
        DurianpayNotificationSteps durianpay = new DurianpayNotificationSteps(
                registry.lookupByNameAndType("payoutsDurianpayNotifications", DurianpayNotifications.class), ledger,
                registry.lookupByNameAndType("payoutsDurianpayCodes", ResponseCodeTable.class));
        registry.bind(DurianpayNotificationSteps.READ, durianpay.read());
        registry.bind(DurianpayNotificationSteps.PAYOUT, durianpay.payout());
    }

    private static void bindDuitku(Registry registry, Settings settings, Clock clock) {
        long userId = Long.parseLong(settings.required("duitku.user-id"));
        String email = settings.required("duitku.email");
        DuitkuSignature signature = new DuitkuSignature(email, settings.required("duitku.secret-key"));
        registry.bind("payoutsDuitku", new DuitkuRequests(signature, userId, email, settings.flag("duitku.sandbox"),
                clock).at(settings.required("duitku.base-url"), settings.required("duitku.cashout-url"),
                        settings.text("duitku.cashout-callback-url")));
        registry.bind("payoutsDuitkuCallbacks", new DuitkuCallbacks(signature, userId));
    }

    private static void bindDurianpay(Registry registry, Settings settings, Clock clock) {
        registry.bind("payoutsDurianpay", new DurianpayClient(settings.required("durianpay.client-key"),
                settings.required("durianpay.client-secret"), settings.required("durianpay.merchant-id"),
                PemKeys.privateKey(settings.required("durianpay.private-key")), settings.text("durianpay.grant-type"),
                clock));
        registry.bind("payoutsDurianpayNotifications", new DurianpayNotifications(
                PemKeys.publicKey(settings.required("durianpay.public-key")),
                settings.text("durianpay.notification-path-prefix"), clock,
                settings.duration("durianpay.notification-max-age")));
    }

    /**
     * A provider's response-code table ({@code <provider>-response-codes.csv} under
     * payouts.response-codes), bound as {@code payouts<Provider>Codes} for the routes. A host reads
     * the jar's copy; the gateway reads routes/codes/, so an engineer's edit takes effect at the
     * next start without a rebuild.
     */
    private static void bindResponseCodes(CamelContext context, Settings settings, String provider)
            throws IOException {
        String location = settings.text("payouts.response-codes") + "/" + provider + "-response-codes.csv";
        ResponseCodeTable table = ResponseCodeTable.load(context, provider, location);
        context.getRegistry().bind("payouts" + Character.toUpperCase(provider.charAt(0)) + provider.substring(1)
                + "Codes", table);
    }
}
