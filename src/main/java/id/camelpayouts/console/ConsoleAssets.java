package id.camelpayouts.console;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.Header;
import org.apache.camel.Variable;

/**
 * The console's files (routes/gateway/console.camel.yaml): the pages, styles and scripts under
 * {@code console/} in the jar, and the libraries they use from their webjars (Swagger UI, uPlot)
 * under {@code /console/vendor/<name>/}, so the console works without internet. Only a path made
 * of plain segments and ending in a known type is looked up; anything else is not found. Files
 * are read once and kept, with an ETag (their SHA-256) for the browser's revalidation.
 */
public class ConsoleAssets {

    /** A file as served: its media type, its ETag (quoted) and its bytes. */
    public record Asset(String contentType, String etag, byte[] body) {
    }

    static final String ROOT = "/console";
    static final String PAGES = "console/";
    static final int MAX_PATH = 200;
    /** Segments of letters, digits, '.', '_' and '-', none of them '.' or '..' (checked below). */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]{1,100}){0,6}/?");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8");
    /** The webjars served, by the name the console uses: their Maven coordinates. */
    private static final Map<String, String> VENDORS = Map.of(
            "swagger-ui", "org.webjars/swagger-ui",
            "uplot", "org.webjars.npm/uplot");

    private final ClassLoader classes;
    private final Map<String, String> vendorRoots = new ConcurrentHashMap<>();
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    public ConsoleAssets() {
        this(ConsoleAssets.class.getClassLoader());
    }

    ConsoleAssets(ClassLoader classes) {
        this.classes = classes;
    }

    /**
     * The file a request path names ({@code /console}, {@code /console/} and
     * {@code /console/index.html} are the console's page), or null when there is none.
     */
    public Asset find(@Header("CamelHttpPath") String path) {
        String resource = resource(path);
        if (resource == null) {
            return null;
        }
        Asset asset = loaded.get(resource);
        if (asset == null) {
            asset = load(resource);
            if (asset != null) {
                loaded.putIfAbsent(resource, asset);
            }
        }
        return asset;
    }

    /** Whether the browser's copy ({@code If-None-Match}) is this file's. */
    public boolean unchanged(@Variable("asset") Asset asset, @Header("If-None-Match") String ifNoneMatch) {
        return asset != null && ifNoneMatch != null && ifNoneMatch.length() < 200
                && Arrays.asList(ifNoneMatch.split("\\s*,\\s*")).contains(asset.etag());
    }

    /** The classpath resource a request path names, or null. */
    String resource(String path) {
        if (path == null || path.length() > MAX_PATH || !(path.equals(ROOT) || path.startsWith(ROOT + "/"))) {
            return null;
        }
        String rest = path.substring(ROOT.length());
        if (!PATH.matcher(rest).matches()) {
            return null;
        }
        for (String segment : rest.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        if (rest.isEmpty() || rest.equals("/")) {
            rest = "/index.html";
        }
        if (type(rest) == null) {
            return null;
        }
        if (rest.startsWith("/vendor/")) {
            String[] vendorAndFile = rest.substring("/vendor/".length()).split("/", 2);
            if (vendorAndFile.length < 2) {
                return null;
            }
            String root = vendorRoot(vendorAndFile[0]);
            return root == null ? null : root + vendorAndFile[1];
        }
        return PAGES + rest.substring(1);
    }

    /**
     * Where a webjar keeps its files: {@code META-INF/resources/webjars/<artifact>/<version>/},
     * the version read from the webjar's own pom.properties (so pom.xml alone names it).
     */
    private String vendorRoot(String vendor) {
        String coordinates = VENDORS.get(vendor);
        if (coordinates == null) {
            return null;
        }
        return vendorRoots.computeIfAbsent(vendor, name -> {
            Properties pom = new Properties();
            try (InputStream in = classes.getResourceAsStream("META-INF/maven/" + coordinates + "/pom.properties")) {
                if (in == null) {
                    throw new IllegalStateException("the webjar " + coordinates + " is not on the class path");
                }
                pom.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the webjar " + coordinates, e);
            }
            return "META-INF/resources/webjars/" + pom.getProperty("artifactId") + "/" + pom.getProperty("version") + "/";
        });
    }

    private Asset load(String resource) {
        try (InputStream in = classes.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] body = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16) + "\"";
            return new Asset(type(resource), etag, body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String type(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    }
}
