package id.camelpayouts.payout;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * The payout workers' queue ({@code seda:payout-work}, routes/engine/route-payout.camel.yaml), fed
 * by the intake with a payout's reference alone. A worker reads everything else from the ledger.
 *
 * A {@code to: seda:...} step would queue a copy of the intake's exchange: its headers, properties
 * and variables (the instruction, the intake's answer, a file's row) wait in memory with every
 * payout not yet taken. A dropped file's rows are taken in faster than they are paid, so a file of
 * 40,000 rows filled the gateway's default heap; a reference alone is some 200 bytes.
 */
public final class WorkQueue {

    /** Bound name of {@link #handOver()}. */
    public static final String HAND_OVER = "payoutsHandOver";
    static final String URI = "seda:payout-work?waitForTaskToComplete=Never";

    private WorkQueue() {
    }

    /**
     * Queues the reference in the body as a message of its own. A full queue fails the step, as a
     * {@code to:} would: the payout is in the ledger already, and the reconciler hands it over later.
     */
    public static Processor handOver() {
        return new Processor() {
            private volatile ProducerTemplate template;

            @Override
            public void process(Exchange exchange) {
                ProducerTemplate producer = template;
                if (producer == null) {
                    synchronized (this) {
                        if (template == null) {
                            template = exchange.getContext().createProducerTemplate();
                        }
                        producer = template;
                    }
                }
                producer.sendBody(URI, exchange.getMessage().getBody(String.class));
            }
        };
    }
}
