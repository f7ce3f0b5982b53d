package id.camelpayouts.jms;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ActiveMQ Artemis broker (the default when PAYOUTS_JMS_URL is not set): a
 * persistent journal under the data directory, reachable in-VM and, when configured, over TCP.
 * A Camel service of the context, so it starts once, before the routes, and stops after them.
 */
public final class EmbeddedBroker extends ServiceSupport {

    public static final String IN_VM_URL = "vm://0";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Path directory;
    private final String tcpAcceptor;
    private final String deadLetterQueue;
    private final int maxDeliveryAttempts;
    private EmbeddedActiveMQ broker;

    /**
     * @param tcpAcceptor         e.g. tcp://127.0.0.1:61616, or blank for in-VM only
     * @param deadLetterQueue     where a message goes after {@code maxDeliveryAttempts} failed deliveries
     */
    public EmbeddedBroker(Path directory, String tcpAcceptor, String deadLetterQueue, int maxDeliveryAttempts) {
        this.directory = directory;
        this.tcpAcceptor = tcpAcceptor;
        this.deadLetterQueue = deadLetterQueue;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("camel-payouts")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .setLargeMessagesDirectory(directory.resolve("large-messages").toString())
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (tcpAcceptor != null && !tcpAcceptor.isBlank()) {
            config.addAcceptorConfiguration("tcp", tcpAcceptor);
        }
        // A message that keeps failing is parked, never retried forever.
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                .setExpiryAddress(SimpleString.of(deadLetterQueue)) // nothing expires; an expired message would be parked too
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        LOG.info("Embedded Artemis broker started (journal in {}{})", directory,
                tcpAcceptor == null || tcpAcceptor.isBlank() ? "" : ", accepting " + tcpAcceptor);
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }
}
