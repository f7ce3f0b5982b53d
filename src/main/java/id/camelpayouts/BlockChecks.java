package id.camelpayouts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mistakes in mounting the blocks, named at startup in one message instead of found later in the
 * log: an outcomes block delivering a channel the ledger does not fill (it would fail every read),
 * and HTTP receivers without an HTTP server.
 */
final class BlockChecks {

    private static final Logger LOG = LoggerFactory.getLogger(BlockChecks.class);

    private BlockChecks() {
    }

    /**
     * Checked when the context starts: the route definitions are all there (the application's
     * too), no route has been created yet. A problem fails the start, with the reason: as an
     * exception, not a veto, which Camel does not report as a failed start (no startup-failure
     * event), so what closes on that event (the twin's Vert.x, {@link SharedVertx}) stayed open
     * and kept the host's JVM from ending.
     */
    static void atStartup(CamelContext context, Settings settings) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarting(CamelContext starting) {
                List<String> problems = new ArrayList<>(channelProblems(starting, settings));
                httpServerProblem(starting).ifPresent(problems::add);
                if (!problems.isEmpty()) {
                    throw new IllegalStateException(String.join("; ", problems));
                }
            }
        });
    }

    /** Every started payout-outcomes block delivers a declared channel; a declared channel nobody delivers is logged. */
    static List<String> channelProblems(CamelContext context, Settings settings) {
        List<String> declared = settings.list("payouts.outcomes.channels");
        List<String> problems = new ArrayList<>();
        List<String> delivered = new ArrayList<>();
        for (Blocks.Instance block : Blocks.instances(context, Blocks.PAYOUT_OUTCOMES)) {
            if ("false".equalsIgnoreCase(block.parameter("enabled"))) {
                continue;
            }
            String channel = block.parameter("channel");
            delivered.add(channel);
            if (!declared.contains(channel)) {
                problems.add("the payout-outcomes block " + block.routeId() + " delivers channel '" + channel
                        + "', which is not in payouts.outcomes.channels " + declared + ": add it there"
                        + " (PAYOUTS_OUTCOMES_CHANNELS), or the ledger never fills it");
            }
        }
        declared.stream().filter(channel -> !delivered.contains(channel)).forEach(channel -> LOG.warn(
                "Outcome channel '{}' (payouts.outcomes.channels) has no payout-outcomes block: its outcomes are"
                        + " kept in the ledger's outbox until one delivers them", channel));
        return problems;
    }

    /**
     * platform-http routes (the callback receivers, the gateway's API) need an HTTP server: with
     * Camel Main, camel.server.enabled=true. Without it Camel fails with "No PlatformHttpEngine",
     * which names neither the setting nor the route. A host with a platform-http engine of its own
     * (a bean, e.g. Spring Boot's) is left alone.
     */
    private static Optional<String> httpServerProblem(CamelContext context) {
        List<String> receivers = Blocks.httpReceivers(context);
        // looked at only with receivers: a host without any need not have platform-http at all
        if (receivers.isEmpty() || !context.hasServices(MainHttpServer.class).isEmpty()
                || !context.getRegistry().findByType(PlatformHttpEngine.class).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("routes " + receivers + " receive HTTP but no HTTP server is on: set"
                + " camel.server.enabled=true (and camel.server.port) for Camel Main's platform-http server");
    }
}
