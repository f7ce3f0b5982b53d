package id.camelpayouts.jms;

import java.util.Set;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests queue answers a request that names a JMSReplyTo with its outcome, sent by the
 * gateway with the gateway's own rights. A reply is therefore never sent to one of the gateway's own
 * queues (requests, outcomes, dead letters): whoever may only send instructions could otherwise
 * have the gateway write into the outcomes queue for it, e.g. a REJECTED answer under the
 * JMSCorrelationID of a payout that was paid, which the merchant's systems read as the gateway's
 * word. Such a request is still taken in (or refused) as any other; only its reply is not sent, and
 * that is logged. A queue is recognised by its address, also when it is named with a queue beside
 * it ({@code address::queue}) or as a topic on the same address.
 */
public final class NoReplyToOwnQueues implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(NoReplyToOwnQueues.class);

    private final String routeId;
    private final Set<String> ownQueues;

    /** {@code routeId}: the route consuming the requests queue; {@code ownQueues}: the gateway's queue names. */
    public NoReplyToOwnQueues(String routeId, Set<String> ownQueues) {
        this.routeId = routeId;
        this.ownQueues = Set.copyOf(ownQueues);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String id, NamedNode route) {
        if (!routeId.equals(id)) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route begun, Exchange exchange) {
                if (exchange.getPattern() == ExchangePattern.InOut
                        && refused(exchange.getMessage().getHeader("JMSReplyTo"))) {
                    exchange.setPattern(ExchangePattern.InOnly);
                    LOG.warn("A request on the requests queue asked for its reply on one of the gateway's own queues:"
                            + " no reply is sent (the instruction is taken in or refused as any other)");
                }
            }
        };
    }

    /** Whether a reply to this destination must not be sent. */
    boolean refused(Object replyTo) {
        if (!(replyTo instanceof Destination)) {
            return false; // no reply destination: nothing is sent anyway
        }
        if (replyTo instanceof TemporaryQueue || replyTo instanceof TemporaryTopic) {
            return false; // made by the requester for its replies
        }
        try {
            String name = replyTo instanceof Queue queue ? queue.getQueueName()
                    : replyTo instanceof Topic topic ? topic.getTopicName() : null;
            if (name == null) {
                return true; // a destination of no kind we know: not worth the risk
            }
            String address = name.contains("::") ? name.substring(0, name.indexOf("::")) : name;
            String queue = name.contains("::") ? name.substring(name.indexOf("::") + 2) : name;
            return ownQueues.contains(strip(address)) || ownQueues.contains(strip(queue));
        } catch (JMSException | RuntimeException unreadable) {
            return true;
        }
    }

    private static String strip(String name) {
        for (String prefix : new String[] {"queue://", "topic://", "jms.queue.", "jms.topic."}) {
            if (name.startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }
}
