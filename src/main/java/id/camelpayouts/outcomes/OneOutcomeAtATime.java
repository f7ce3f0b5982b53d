package id.camelpayouts.outcomes;

import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;

/**
 * The payout-outcomes block's default delivery (bean {@code payoutsOneOutcomeAtATime}): no
 * transaction around a read. Each outcome is sent on its own, and what the destination took before
 * a failure counts as taken: it is forgotten, not sent again.
 */
public final class OneOutcomeAtATime implements Policy {

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return processor;
    }
}
