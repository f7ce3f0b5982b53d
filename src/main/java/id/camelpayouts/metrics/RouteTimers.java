package id.camelpayouts.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Camel's route metrics (camel_route_policy_seconds, camel_exchanges_total, _succeeded, _failed,
 * _failures_handled, _external_redeliveries, per route), the same meters with the same tags as
 * Camel's own micrometer route policy (camel.metrics.enable-route-policy, which the gateway turns
 * off for this one), at a lower cost per exchange: Camel's formats a property name with
 * String.format at each exchange's begin and twice at its end, in every route it passes through,
 * which was about a tenth of a Duitku callback's allocation (issue 17). Here each route's key and
 * meters are made once, when the route is built.
 */
public final class RouteTimers implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return new Policy();
    }

    /**
     * One route's meters, and the exchange property that holds an exchange's start in it. Made when
     * the route is initialised: Camel Main binds the registry after the routes are built; none when
     * the context has no registry (metrics off).
     */
    private static final class Policy extends RoutePolicySupport {
        private volatile RouteMeters meters;

        @Override
        public void onInit(Route route) {
            super.onInit(route);
            MeterRegistry registry = Meters.registry(route.getCamelContext());
            meters = registry == null ? null
                    : new RouteMeters(registry, route.getCamelContext().getName(), route.getRouteId());
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            RouteMeters on = meters;
            if (on != null) {
                exchange.setProperty(on.started, Timer.start(on.registry));
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            RouteMeters on = meters;
            if (on != null) {
                on.done(exchange);
            }
        }
    }

    private static final class RouteMeters {
        private final MeterRegistry registry;
        private final String started;
        private final Timer timer;
        private final Counter total;
        private final Counter succeeded;
        private final Counter failed;
        private final Counter failuresHandled;
        private final Counter externalRedeliveries;

        RouteMeters(MeterRegistry registry, String contextName, String routeId) {
            this.registry = registry;
            this.started = "CamelPayoutsRouteTimer-" + routeId;
            // Camel's names, tags and descriptions (MicrometerConstants, MicrometerRoutePolicyNamingStrategy)
            Tags tags = Tags.of("camelContext", contextName, "kind", "CamelRoute", "routeId", routeId,
                    "eventType", "route");
            this.timer = Timer.builder("camel.route.policy").tags(tags).description("Route performance metrics")
                    .register(registry);
            this.total = counter("camel.exchanges.total", tags, "Total number of processed exchanges");
            this.succeeded = counter("camel.exchanges.succeeded", tags, "Number of successfully completed exchanges");
            this.failed = counter("camel.exchanges.failed", tags, "Number of failed exchanges");
            this.failuresHandled = counter("camel.exchanges.failures.handled", tags, "Number of failures handled");
            this.externalRedeliveries = counter("camel.exchanges.external.redeliveries", tags,
                    "Number of external initiated redeliveries (such as from JMS broker)");
        }

        private Counter counter(String name, Tags tags, String description) {
            return Counter.builder(name).tags(tags).description(description).register(registry);
        }

        void done(Exchange exchange) {
            if (exchange.removeProperty(started) instanceof Timer.Sample sample) {
                sample.stop(timer);
            }
            total.increment();
            if (exchange.isFailed()) {
                failed.increment();
                return;
            }
            succeeded.increment();
            if (ExchangeHelper.isFailureHandled(exchange)) {
                failuresHandled.increment();
            }
            if (exchange.isExternalRedelivered()) {
                externalRedeliveries.increment();
            }
        }
    }
}
