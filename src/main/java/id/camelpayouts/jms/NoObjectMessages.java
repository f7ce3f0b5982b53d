package id.camelpayouts.jms;

import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import org.springframework.jms.support.converter.SimpleMessageConverter;

/**
 * The gateway's JMS bodies: text, bytes and maps, as Camel maps them by default, but never a
 * serialized Java object. Deserializing an ObjectMessage runs code chosen by whoever sent it, so
 * an ObjectMessage is not read: its body becomes {@link #REFUSED}, which the intake refuses like
 * any other text that is not an instruction, and the dead-letter queue gets that text. Nothing is
 * sent as an ObjectMessage either: any other body is sent as its text.
 */
public final class NoObjectMessages extends SimpleMessageConverter {

    public static final String REFUSED = "an ObjectMessage (a serialized Java object) is never read:"
            + " send the instruction as JSON text";

    @Override
    public Object fromMessage(Message message) throws JMSException {
        return message instanceof ObjectMessage ? REFUSED : super.fromMessage(message);
    }

    @Override
    public Message toMessage(Object body, Session session) throws JMSException {
        if (body instanceof String || body instanceof byte[] || body instanceof Map<?, ?> || body instanceof Message) {
            return super.toMessage(body, session);
        }
        return session.createTextMessage(String.valueOf(body));
    }
}
