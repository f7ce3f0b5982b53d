package id.camelpayouts.jms;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import id.camelpayouts.ledger.PayoutOutbox.OutboxBatch;

/**
 * The payout-outcomes block's delivery to a JMS queue (bean {@code payoutsOneJmsTransactionPerRead},
 * the block's {@code delivery} parameter): a read of the outbox is sent in one local JMS
 * transaction. Sent one by one, each outcome waited for the broker to sync its journal and for two
 * thread hand-offs, which under load held the outbox far behind the payouts; in one transaction
 * the broker syncs once, at the commit. Camel's JMS producer joins the transaction because it sends
 * through the same connection factory, on this thread (Spring's JmsTemplate takes the session bound
 * to the transaction). A failure rolls the whole read back: the queue took none of it, so none of
 * it is forgotten ({@link OutboxBatch#noneSent()}), and it is sent again, whole, at the next attempt.
 */
public final class OneJmsTransactionPerRead implements Policy {

    private final TransactionTemplate transactions;

    /** {@code connectionFactory}: the one the JMS component sends with. */
    public OneJmsTransactionPerRead(ConnectionFactory connectionFactory) {
        this.transactions = new TransactionTemplate(new JmsTransactionManager(connectionFactory));
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return exchange -> {
            try {
                transactions.executeWithoutResult(transaction -> {
                    try {
                        processor.process(exchange);
                    } catch (Exception e) {
                        exchange.setException(e);
                    }
                    if (exchange.getException() != null) {
                        transaction.setRollbackOnly();
                    }
                });
            } catch (RuntimeException commitFailed) {
                if (exchange.getException() == null) {
                    exchange.setException(commitFailed);
                }
            }
            if (exchange.getException() != null) {
                OutboxBatch read = exchange.getVariable("outbox", OutboxBatch.class);
                if (read != null) {
                    read.noneSent();
                }
            }
        };
    }
}
