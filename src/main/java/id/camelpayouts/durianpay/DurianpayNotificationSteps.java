package id.camelpayouts.durianpay;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import id.camelpayouts.durianpay.DurianpayNotifications.Notification;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The Java steps of a Durianpay notification's routes (routes/blocks/durianpay-notifications.camel.yaml
 * and routes/engine/apply-durianpay-notification.camel.yaml), as processors bound by name. Each
 * leaves plain variables that the routes' conditions compare, so that a notification costs no
 * bean-method lookup, exchange copy or OGNL evaluation per step; what each variable means is
 * written beside the step in the routes.
 */
public final class DurianpayNotificationSteps {

    /** Reads and verifies a notification. */
    public static final String READ = "payoutsDurianpayNotification";
    /** Finds the payout a verified notification is about, and what the notification says of it. */
    public static final String PAYOUT = "payoutsDurianpayNotificationPayout";

    private final DurianpayNotifications notifications;
    private final PayoutLedger ledger;
    private final ResponseCodeTable codes;

    public DurianpayNotificationSteps(DurianpayNotifications notifications, PayoutLedger ledger,
            ResponseCodeTable codes) {
        this.notifications = notifications;
        this.ledger = ledger;
        this.codes = codes;
    }

    /** The variable that names the receiver's mount (its block's path), set by the receiver's route. */
    public static final String MOUNT = "durianpayNotificationMount";

    /**
     * {@link DurianpayNotifications#read} of the body, path (below the receiver's mount, the
     * {@value #MOUNT} variable), X-TIMESTAMP and X-SIGNATURE: sets {@code notification}, and
     * {@code refusal} when it is refused.
     */
    public Processor read() {
        return exchange -> {
            Message in = exchange.getMessage();
            Notification notification = notifications.read(in.getBody(byte[].class),
                    in.getHeader(Exchange.HTTP_PATH, String.class), exchange.getVariable(MOUNT, String.class),
                    in.getHeader("X-TIMESTAMP", String.class), in.getHeader("X-SIGNATURE", String.class));
            exchange.setVariable("notification", notification);
            exchange.setVariable("refusal", notification.refusal());
        };
    }

    /**
     * Reads {@code notification}; sets {@code payout} (by our reference, null when the ledger does
     * not know it), {@code matches} ({@link DurianpayNotifications#describes}: false without a
     * payout), {@code amountDisagreement} ({@link DurianpayNotifications#amountDisagreement}: null
     * unless it is about this PENDING payout's transfer but names another amount) and, when there is a payout, {@code payoutStatus} (as read), {@code meaning} (the
     * latestTransactionStatus' class in the code table's {@code notification} column) and
     * {@code answer} ({@link Notification#asAnswer}).
     */
    public Processor payout() {
        return exchange -> {
            Notification notification = exchange.getVariable("notification", Notification.class);
            Payout payout = ledger.findForCallback(notification.reference());
            exchange.setVariable("payout", payout);
            exchange.setVariable("matches", notifications.describes(notification, payout));
            exchange.setVariable("amountDisagreement", notifications.amountDisagreement(notification, payout));
            if (payout == null) {
                return;
            }
            exchange.setVariable("payoutStatus", payout.getStatus());
            exchange.setVariable("meaning", codes.classify("notification", notification.status()));
            exchange.setVariable("answer", notification.asAnswer());
        };
    }
}
