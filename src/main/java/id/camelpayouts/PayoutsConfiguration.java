package id.camelpayouts;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import id.camelpayouts.duitku.DuitkuRequests;
import id.camelpayouts.duitku.DuitkuSteps;
import id.camelpayouts.health.HealthChecks;
import id.camelpayouts.ledger.LedgerSteps;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.ProviderPauses;
import id.camelpayouts.rails.BankDirectory;
import id.camelpayouts.rails.BankIndonesiaSchedule;
import id.camelpayouts.metrics.PayoutMetrics;
import id.camelpayouts.payout.ApprovalRules;
import id.camelpayouts.payout.BalanceFirst;
import id.camelpayouts.payout.BalanceReadings;
import id.camelpayouts.payout.NameCheck;
import id.camelpayouts.payout.ResponseCodeTable;
import id.camelpayouts.payout.WorkQueue;
import id.camelpayouts.payout.WorkerSteps;
import id.camelpayouts.rails.RailRules;

/**
 * The payout engine, for any Camel application (the library's entry point; the standalone
 * gateway is {@link GatewayConfiguration} on top of it). Builds the engine's beans from the
 * {@code payouts.*}, {@code duitku.*} and {@code durianpay.*} settings (defaults in
 * {@code camel-payouts/defaults.properties}), binds them for the routes, and loads the engine's
 * routes and the blocks (route templates) from {@code payouts.routes}. It starts nothing the host
 * did not ask for: no HTTP server, no broker, no database server; the provider twin only with
 * {@code payouts.twin=true}. The ledger is on the host's {@code DataSource} bound as
 * {@code payoutsDataSource}, or on {@code payouts.db.url}. Only the providers whose credentials
 * are set are used ({@link Providers}).
 *
 * <p>Everything is created here exactly once (not in {@code @BindToRegistry} methods, which Camel
 * Main may call twice); things with a lifecycle (connection pool, twin) are Camel services.
 */
public class PayoutsConfiguration implements CamelConfiguration {

    /** The name under which a host binds its own ledger {@code DataSource}. */
    public static final String DATA_SOURCE = LedgerBeans.DATA_SOURCE;

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.withLibraryDefaults(context);
        refuseDevelopmentSettingsInProduction(settings);
        Clock clock = context.getRegistry().findSingleByType(Clock.class) != null
                ? context.getRegistry().findSingleByType(Clock.class) : Clock.systemUTC();
        boolean twin = settings.flag("payouts.twin");
        Set<String> providers = Providers.configured(settings, twin);
        Providers.checkRouting(settings, providers);
        PayoutLedger ledger = LedgerBeans.bind(context, settings, clock, providers);
        PayoutMetrics.bind(context, ledger);
        if (twin) {
            TwinConfiguration.standInForProviders(context, settings, providers, clock, ledger);
        }
        try {
            configureEngine(context, settings, providers, clock, ledger);
        } catch (Exception | Error refused) {
            // the context is not started, so it is not stopped either: the twin, already listening,
            // is stopped here (its Vert.x threads, not daemons, would keep the host's JVM running)
            TwinConfiguration.stop(context);
            throw refused;
        }
    }

    private static void configureEngine(CamelContext context, Settings settings, Set<String> providers, Clock clock,
            PayoutLedger ledger) throws Exception {
        ProviderBeans.bind(context, settings, providers, clock);
        bindRails(context.getRegistry(), settings, clock);
        bindEngineSteps(context.getRegistry(), ledger);
        // A transfer waits for its file's balance at most as long as that call can take.
        BalanceFirst balanceFirst = new BalanceFirst(settings.duration("payouts.provider.timeout")
                .plus(settings.duration("payouts.provider.connect-timeout")));
        context.getRegistry().bind("payoutsBalanceFirst", balanceFirst);
        context.getRegistry().bind(BalanceReadings.READ,
                new BalanceReadings(settings.duration("payouts.balance.max-age"), clock).processor());
        context.getRegistry().bind(BalanceFirst.AWAIT, balanceFirst.await());
        loadRoutes(context, settings.text("payouts.routes"));
        BlockChecks.atStartup(context, settings);
        if (HealthChecks.available()) {
            HealthChecks.ledger(context, context.getRegistry().lookupByNameAndType(DATA_SOURCE, DataSource.class));
        }
        context.addStartupListener((started, alreadyStarted) -> LedgerMetrics.publish(started, ledger));
    }

    /** The engine's routes and the blocks, from the jar or (the gateway) from files the user edits. */
    private static void loadRoutes(CamelContext context, String locations) throws Exception {
        List<Resource> routes = new ArrayList<>();
        for (String location : Settings.split(locations)) {
            routes.addAll(PluginHelper.getPackageScanResourceResolver(context).findResources(location));
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("no payout routes at payouts.routes=" + locations);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
    }

    private static void refuseDevelopmentSettingsInProduction(Settings settings) {
        if (ProductionGuard.production(settings.text("payouts.profile"))) {
            List<String> problems = ProductionGuard.problems(settings::optional);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("refusing to start with payouts.profile=prod: "
                        + String.join("; ", problems));
            }
        }
    }

    /** The engine routes' Java steps, processors bound by name over the beans bound above. */
    private static void bindEngineSteps(Registry registry, PayoutLedger ledger) {
        LedgerSteps.bind(registry, ledger);
        WorkerSteps worker = new WorkerSteps(ledger, registry.lookupByNameAndType("payoutsRails", RailRules.class),
                registry.lookupByNameAndType("payoutsApproval", ApprovalRules.class),
                registry.lookupByNameAndType("payoutsProviders", ProviderPauses.class),
                registry.lookupByNameAndType("payoutsNameCheck", NameCheck.class));
        registry.bind(WorkerSteps.CLAIM, worker.claim());
        registry.bind(WorkerSteps.RAIL_REFUSAL, worker.railRefusal());
        registry.bind(WorkerSteps.APPROVAL_FILES, worker.approvalFiles());
        registry.bind(WorkerSteps.HOLD, worker.hold());
        registry.bind(WorkerSteps.NAME_CHECK, worker.nameCheck());
        registry.bind(WorkQueue.HAND_OVER, WorkQueue.handOver());
        DuitkuSteps duitku = new DuitkuSteps(registry.lookupByNameAndType("payoutsDuitku", DuitkuRequests.class),
                registry.lookupByNameAndType("payoutsDuitkuCodes", ResponseCodeTable.class));
        registry.bind(DuitkuSteps.INQUIRY, duitku.inquiry());
        registry.bind(DuitkuSteps.TRANSFER, duitku.transfer());
        registry.bind(DuitkuSteps.STATUS, duitku.inquiryStatus());
        registry.bind(DuitkuSteps.URL, duitku.url());
        registry.bind(DuitkuSteps.ANSWER, duitku.answer());
        registry.bind(DuitkuSteps.INQUIRY_OUTCOME, duitku.outcome("inquiry"));
        registry.bind(DuitkuSteps.TRANSFER_OUTCOME, duitku.outcome("transfer"));
        registry.bind(DuitkuSteps.STATUS_OUTCOME, duitku.statusOutcome());
    }

    /** What rail selection asks: the rails' rules and Bank Indonesia's schedule (its clock replaceable in tests). */
    private static void bindRails(Registry registry, Settings settings, Clock clock) {
        BankIndonesiaSchedule schedule = new BankIndonesiaSchedule(LocalTime.parse(settings.text("payouts.bi.opens")),
                LocalTime.parse(settings.text("payouts.bi.closes")),
                settings.list("payouts.bi.holidays").stream().map(LocalDate::parse).collect(Collectors.toSet()), clock);
        registry.bind("payoutsBiSchedule", schedule);
        registry.bind("payoutsRails", new RailRules(new BankDirectory(), new RailRules.Limits(
                Long.parseLong(settings.text("payouts.rails.bifast-max")),
                Long.parseLong(settings.text("payouts.rails.rtgs-min")),
                Long.parseLong(settings.text("payouts.rails.llg-max")))));
    }
}
