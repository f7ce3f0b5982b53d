package id.camelpayouts;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.MaskingFormatter;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.input.LogLineGuard;
import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.LedgerSteps;
import id.camelpayouts.ledger.OperatorActions;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.ProviderPauses;
import id.camelpayouts.outcomes.DeliveryBackoff;
import id.camelpayouts.outcomes.OneOutcomeAtATime;
import id.camelpayouts.payout.ApprovalRules;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.NameCheck;
import id.camelpayouts.payout.PayoutIntake;

/**
 * The ledger on its database (the host's {@code payoutsDataSource}, or a pool on payouts.db.url)
 * and what the blocks use around it: the intake of instructions and the outcome channels' backoff.
 */
final class LedgerBeans {

    static final String DATA_SOURCE = "payoutsDataSource";

    private static final Logger LOG = LoggerFactory.getLogger(LedgerBeans.class);

    /** Connections of the pool kept open while idle. */
    private static final int IDLE_CONNECTIONS = 2;

    private LedgerBeans() {
    }

    /** The ledger, with this instance's leases released (a restart resumes its work). */
    static PayoutLedger bind(CamelContext context, Settings settings, Clock clock, Set<String> providers)
            throws Exception {
        DataSource dataSource = context.getRegistry().lookupByNameAndType(DATA_SOURCE, DataSource.class);
        if (dataSource == null) {
            HikariDataSource pool = pool(settings);
            context.addService(closing(pool));
            context.getRegistry().bind(DATA_SOURCE, pool);
            dataSource = pool;
        }
        LedgerSchema.apply(dataSource);
        LedgerPolicy policy = policy(settings);
        Duration providerTimeout = settings.duration("payouts.provider.timeout");
        if (policy.lease().compareTo(providerTimeout) <= 0) {
            throw new IllegalStateException("payouts.work.lease (" + policy.lease() + ") must be longer than"
                    + " payouts.provider.timeout (" + providerTimeout + "): a worker must hold a payout for as long"
                    + " as a provider call may take");
        }
        String instanceId = settings.text("payouts.instance-id");
        if (instanceId.isEmpty()) {
            instanceId = InetAddress.getLocalHost().getHostName();
        }
        PayoutLedger ledger = new PayoutLedger(dataSource, clock, policy, instanceId,
                settings.list("payouts.outcomes.channels"));
        refuseUnfinishedPayoutsOfProvidersThatAreOff(ledger, providers);
        int released = ledger.releaseOwnLeases();
        if (released > 0) {
            LOG.info("Instance {} restarted: resuming {} payouts it was working on", instanceId, released);
        }
        Registry registry = context.getRegistry();
        registry.bind("payoutsLedger", ledger);
        LedgerSteps.bindOutbox(registry, ledger);
        PayoutIntake intake = new PayoutIntake(new InstructionParser(settings.number("payouts.amount.min")),
                ledger, clock, providers);
        registry.bind("payoutsIntake", intake);
        registry.bind("payoutsAccept", intake.acceptStep());
        // The routes' log lines (camel.main.log-mask) go through a masking formatter that costs one
        // pass per line, whatever a line holds; a host's own formatter is kept.
        if (registry.lookupByName(MaskingFormatter.CUSTOM_LOG_MASK_REF) == null) {
            registry.bind(MaskingFormatter.CUSTOM_LOG_MASK_REF, new LogLineGuard());
        }
        registry.bind("payoutsNameCheck", new NameCheck());
        // what people do to payouts (the API's operator actions, the reconciler's expiry of approvals),
        // each provider's pause, and which dropped files wait for approval
        registry.bind("payoutsActions", new OperatorActions(ledger));
        registry.bind("payoutsProviders", new ProviderPauses(ledger, providers));
        registry.bind("payoutsApproval", new ApprovalRules(settings.list("payouts.approval.files")));
        registry.bind("payoutsDeliveryBackoff", new DeliveryBackoff(Duration.ofSeconds(1),
                settings.duration("payouts.outcomes.max-backoff"), clock));
        registry.bind("payoutsOneOutcomeAtATime", new OneOutcomeAtATime());
        return ledger;
    }

    /**
     * A payout sent through a provider must be settled through it (its status asked, its callback
     * applied): a provider turned off while it has such payouts would leave them PENDING for ever.
     */
    private static void refuseUnfinishedPayoutsOfProvidersThatAreOff(PayoutLedger ledger, Set<String> providers) {
        for (String provider : Providers.CREDENTIALS.keySet()) {
            if (!providers.contains(provider)) {
                int unfinished = ledger.countWhere("stage <> 'FINAL' AND provider = '" + provider + "'");
                if (unfinished > 0) {
                    throw new IllegalStateException(unfinished + " unfinished " + provider + " payouts are in the"
                            + " ledger but " + provider + " is not configured: configure it until they are final");
                }
            }
        }
    }

    private static HikariDataSource pool(Settings settings) {
        String url = settings.text("payouts.db.url");
        if (url.isEmpty()) {
            throw new IllegalStateException("no ledger database: set payouts.db.url (PAYOUTS_DB_URL) or bind a"
                    + " DataSource named " + DATA_SOURCE);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(settings.text("payouts.db.user"));
        config.setPassword(settings.text("payouts.db.password"));
        int size = settings.integer("payouts.db.pool-size");
        config.setMaximumPoolSize(size);
        // The rest are opened when the load asks for them, not all during the start (issue 17: on
        // PostgreSQL each is a login, its CPU and buffers during the start).
        config.setMinimumIdle(Math.min(IDLE_CONNECTIONS, size));
        config.setPoolName("payouts-ledger");
        return new HikariDataSource(config);
    }

    private static LedgerPolicy policy(Settings settings) {
        return new LedgerPolicy(settings.duration("payouts.work.resume-after"), settings.duration("payouts.work.lease"),
                settings.durations("payouts.inquiry.backoff"),
                // Half an interval, so that every reconciler tick finds every PENDING transfer due.
                settings.duration("payouts.reconcile.interval").dividedBy(2),
                settings.duration("payouts.reconcile.not-found-grace"),
                settings.duration("payouts.reconcile.review-after"),
                settings.duration("payouts.reconcile.callback-wait"),
                settings.duration("payouts.approval.expires-after"));
    }

    private static ServiceSupport closing(HikariDataSource dataSource) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        };
    }
}
