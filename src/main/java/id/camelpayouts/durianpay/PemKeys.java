package id.camelpayouts.durianpay;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads RSA keys from PEM: private keys as PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA
 * PRIVATE KEY"), public keys as X.509 ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY").
 * A value that is not a PEM text is taken as a file path (or a classpath: resource); a PEM text
 * whose line breaks are written as {@code \n} (one line, as an environment variable may carry it) is
 * read as well.
 */
public final class PemKeys {

    private PemKeys() {
    }

    public static PrivateKey privateKey(String pemOrPath) {
        String pem = text(pemOrPath);
        try {
            byte[] der = der(pem);
            if (pem.contains("BEGIN RSA PRIVATE KEY")) {
                der = pkcs1ToPkcs8(der);
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key in PEM", e);
        }
    }

    public static PublicKey publicKey(String pemOrPath) {
        String pem = text(pemOrPath);
        try {
            byte[] der = der(pem);
            if (pem.contains("BEGIN RSA PUBLIC KEY")) {
                BigInteger[] modulusAndExponent = Asn1.twoIntegers(der);
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(modulusAndExponent[0], modulusAndExponent[1]));
            }
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM", e);
        }
    }

    private static String text(String pemOrPath) {
        if (pemOrPath.contains("-----BEGIN")) {
            // given in an environment variable as one line, its line breaks may be written as \n
            return pemOrPath.replace("\\r", "").replace("\\n", "\n");
        }
        try {
            if (pemOrPath.startsWith("classpath:")) {
                try (var in = PemKeys.class.getResourceAsStream("/" + pemOrPath.substring("classpath:".length()))) {
                    if (in == null) {
                        throw new IllegalArgumentException("no key at " + pemOrPath);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            }
            return Files.readString(Path.of(pemOrPath), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("key file unreadable: " + pemOrPath, e);
        }
    }

    private static byte[] der(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = Asn1.wrap((byte) 0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return Asn1.wrap((byte) 0x30, body);
    }

    /** The few DER mechanics the two PKCS#1 forms need. */
    static final class Asn1 {
        private Asn1() {
        }

        static byte[] wrap(byte tag, byte[] content) {
            byte[] length = length(content.length);
            byte[] out = new byte[1 + length.length + content.length];
            out[0] = tag;
            System.arraycopy(length, 0, out, 1, length.length);
            System.arraycopy(content, 0, out, 1 + length.length, content.length);
            return out;
        }

        private static byte[] length(int length) {
            if (length < 0x80) {
                return new byte[] {(byte) length};
            }
            byte[] digits = BigInteger.valueOf(length).toByteArray();
            int start = digits[0] == 0 ? 1 : 0;
            byte[] out = new byte[1 + digits.length - start];
            out[0] = (byte) (0x80 | (digits.length - start));
            System.arraycopy(digits, start, out, 1, digits.length - start);
            return out;
        }

        /** SEQUENCE { INTEGER, INTEGER } (an RSAPublicKey) as its two integers. */
        static BigInteger[] twoIntegers(byte[] der) {
            int[] position = {0};
            expect(der, position, 0x30);
            readLength(der, position);
            return new BigInteger[] {integer(der, position), integer(der, position)};
        }

        private static BigInteger integer(byte[] der, int[] position) {
            expect(der, position, 0x02);
            int length = readLength(der, position);
            byte[] value = new byte[length];
            System.arraycopy(der, position[0], value, 0, length);
            position[0] += length;
            return new BigInteger(value);
        }

        private static void expect(byte[] der, int[] position, int tag) {
            if ((der[position[0]++] & 0xff) != tag) {
                throw new IllegalArgumentException("unexpected DER structure");
            }
        }

        private static int readLength(byte[] der, int[] position) {
            int first = der[position[0]++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                length = (length << 8) | (der[position[0]++] & 0xff);
            }
            return length;
        }
    }
}
