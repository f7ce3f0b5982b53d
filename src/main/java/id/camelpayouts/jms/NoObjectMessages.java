package id.camelpayouts.jms;

import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.springframework.jms.support.converter.SimpleMessageConverter;

/**
 * The gateway's JMS bodies: text, bytes and maps, as Camel maps them by default, but never a
 * serialized Java object, and nothing else either (a StreamMessage, a message without a body:
 * each becomes a text saying so, refused and parked like any other). Deserializing an ObjectMessage runs code chosen by whoever sent it, so
 * an ObjectMessage is not read: its body becomes {@link #REFUSED}, which the intake refuses like
 * any other text that is not an instruction, and the dead-letter queue gets that text. Nothing is
 * sent as an ObjectMessage either: any other body is sent as its text.
 */
public final class NoObjectMessages extends SimpleMessageConverter {

    public static final String REFUSED = "an ObjectMessage (a serialized Java object) is never read:"
            + " send the instruction as JSON text";

    /** A StreamMessage, or a message of no body type: not read either, and refused by this text. */
    public static final String NOT_AN_INSTRUCTION = "a JMS message without a text, bytes or map body is not read:"
            + " send the instruction as JSON text";

    @Override
    public Object fromMessage(Message message) throws JMSException {
        if (message instanceof ObjectMessage) {
            return REFUSED;
        }
        if (message instanceof StreamMessage) {
            return "a StreamMessage is not read: send the instruction as JSON text";
        }
        if (!(message instanceof TextMessage || message instanceof BytesMessage || message instanceof MapMessage)) {
            // Spring would hand over the received message itself, read-only: forwarding it to the
            // dead-letter queue failed and was rolled back, on every redelivery
            return NOT_AN_INSTRUCTION;
        }
        return super.fromMessage(message);
    }

    @Override
    public Message toMessage(Object body, Session session) throws JMSException {
        if (body instanceof String || body instanceof byte[] || body instanceof Map<?, ?> || body instanceof Message) {
            return super.toMessage(body, session);
        }
        return session.createTextMessage(String.valueOf(body));
    }
}
