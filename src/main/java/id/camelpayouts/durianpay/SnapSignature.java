package id.camelpayouts.durianpay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Durianpay's SNAP signatures, as Durianpay's SNAP disbursement API takes them
 * (https://docs.durianpay.id/docs/api/snap/disbursements/bank-transfer-inquiry-status/ and the
 * pages beside it; SnapSignatureTest checks each formula):
 * <ul>
 * <li>access token: Base64(SHA256withRSA(merchant private key, clientKey + "|" + timestamp))</li>
 * <li>every other request: Base64(HMAC-SHA512(clientSecret,
 *     METHOD:path:token:lowerhex(SHA-256(body)):timestamp)), over exactly the body bytes sent</li>
 * <li>notifications: SHA256withRSA with Durianpay's public key over
 *     METHOD:path:lowerhex(SHA-256(body)):timestamp, the body as received or minified ({@link #minify})</li>
 * </ul>
 */
public final class SnapSignature {

    private SnapSignature() {
    }

    public static String accessToken(PrivateKey merchantKey, String clientKey, String timestamp) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(merchantKey);
            rsa.update((clientKey + "|" + timestamp).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the access-token request", e);
        }
    }

    public static String request(String clientSecret, String method, String path, String token, String body,
            String timestamp) {
        String text = method + ":" + path + ":" + token + ":" + sha256Hex(body) + ":" + timestamp;
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a signature made with the private half of {@code publicKey} covers {@code text}. */
    public static boolean verify(PublicKey publicKey, String text, String signatureBase64) {
        if (signatureBase64 == null || signatureBase64.isBlank()) {
            return false;
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update(text.getBytes(StandardCharsets.UTF_8));
            String encoded = signatureBase64.trim();
            // Base64 as SNAP writes it, or in its URL-safe alphabet
            return rsa.verify(encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(encoded) : Base64.getDecoder().decode(encoded));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static String notificationText(String method, String path, String rawBody, String timestamp) {
        return method + ":" + path + ":" + sha256Hex(rawBody) + ":" + timestamp;
    }

    /**
     * SNAP's Minify of a JSON text: the whitespace between its tokens (space, tab, line feed,
     * carriage return) taken out, everything else, strings included, exactly as it is.
     */
    public static String minify(String json) {
        StringBuilder minified = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                minified.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    minified.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                minified.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                minified.append(c);
            }
        }
        return minified.toString();
    }

    public static String sign(PrivateKey key, String text) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((body == null ? "" : body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
