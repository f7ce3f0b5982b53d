package id.camelpayouts.jms;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker refuses a message for the requests queue larger than {@link #MAX_BYTES}
 * when it is sent: its sender gets the error, nothing is stored. An instruction is at most 64 KiB
 * (the intake refuses more, and parks it), but the gateway's JMS client reads a message whole
 * before any of its code sees it: one message of 150 MB ended the gateway with an
 * OutOfMemoryError, and, still in the journal, ended it again at every start.
 */
final class OversizedRequests implements ActiveMQServerMessagePlugin {

    /** Four times what the largest instruction takes on the wire (64 Ki characters, two bytes each). */
    static final long MAX_BYTES = 512 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(OversizedRequests.class);

    private final String requests;

    OversizedRequests(String requests) {
        this.requests = requests;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) throws ActiveMQException {
        if (message.getAddress() == null || !requests.equals(message.getAddress())) {
            return;
        }
        long size = size(message);
        if (size > MAX_BYTES) {
            LOG.warn("A message of {} bytes for {} was refused: larger than {} bytes", size, requests, MAX_BYTES);
            throw new ActiveMQException(ActiveMQExceptionType.ILLEGAL_STATE, "a message for " + requests
                    + " may be at most " + MAX_BYTES + " bytes; an instruction is one JSON object of at most 64 KiB");
        }
    }

    private static long size(Message message) throws ActiveMQException {
        long size = message.getPersistentSize();
        if (message.isLargeMessage()) {
            Long body = message.getLongProperty(Message.HDR_LARGE_BODY_SIZE);
            size = Math.max(size, body == null ? Long.MAX_VALUE : body);
        }
        return size;
    }
}
