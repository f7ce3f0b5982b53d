package com.example.esb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import id.camelpayouts.twin.DuitkuTwin;

/**
 * What a host gets from depending on camel-payouts, and that it is enough. The class path Maven
 * gives a project depending on this jar is every artifact reachable from the non-optional
 * dependencies of pom.xml, read from Maven's runtime dependency graph with every edge
 * ({@code target/dependency-tree.txt}, written by the build before the integration tests). It must
 * hold nothing of the gateway (broker, Spring, drivers, Prometheus, Log4j, HTTP server) and at most
 * ~45 jars beyond camel-main's own; and {@link LeanHost}, in its own JVM on exactly that class path
 * plus the host's own choices, must pay: with H2 only, against a twin this test runs; with
 * camel-platform-http-main too, through the callback blocks and the twin inside the host. A class
 * the library loads from an optional dependency fails it.
 */
class LeanHostIT {

    /** Artifacts only the standalone gateway uses: none may reach a host. */
    private static final List<String> GATEWAY_ONLY = List.of("org.apache.activemq:", "org.springframework:",
            "org.jgroups:", "org.postgresql:", "com.h2database:", "io.prometheus:", "org.apache.logging.log4j:",
            "io.vertx:", "io.netty:", "org.apache.camel:camel-jms", "org.apache.camel:camel-platform-http",
            "org.apache.camel:camel-management:", "org.apache.camel:camel-micrometer-prometheus",
            "io.micrometer:micrometer-registry-prometheus");
    private static final String H2 = "com.h2database:h2";
    private static final String PLATFORM_HTTP = "org.apache.camel:camel-platform-http-main";
    private static final int MAX_LIBRARY_JARS = 45;
    private static final String SECRET = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";

    private static DependencyGraph graph;
    private static Set<String> library;
    private static Path jar;

    @BeforeAll
    static void theClassPathMavenGivesAHost() throws Exception {
        graph = DependencyGraph.read(Path.of("target", "dependency-tree.txt"));
        List<String> direct = new ArrayList<>(graph.direct);
        direct.removeAll(optionalDependencies(Path.of("pom.xml")));
        library = graph.closure(direct);
        // A copy: the gateway's jar names target/lib/ in its manifest Class-Path, which a host never has.
        Path work = Files.createDirectories(Path.of("target", "lean-host"));
        jar = Files.copy(Path.of("target", "camel-payouts.jar"), work.resolve("camel-payouts.jar"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aHostInheritsNothingOfTheGatewayAndAtMost45JarsBeyondCamel() throws Exception {
        Set<String> camel = graph.closure(List.of("org.apache.camel:camel-main"));
        int beyondCamel = library.size() + 1 - camel.size(); // + camel-payouts' own jar
        Set<String> http = graph.closure(List.of(PLATFORM_HTTP));
        http.removeAll(library);

        assertThat(library).as("what a host inherits").noneMatch(ga -> GATEWAY_ONLY.stream().anyMatch(ga::startsWith));
        assertThat(beyondCamel).as("jars a host gets from camel-payouts beyond camel-main's: " + library)
                .isLessThanOrEqualTo(MAX_LIBRARY_JARS);
        assertThat(loggingConfigurationsIn(jar)).as("a library configures no host's logging").isEmpty();
        System.out.printf("lean-host: jars=%d beyond camel-main's %d (camel-payouts included);"
                + " camel-platform-http-main adds %d%n", beyondCamel, camel.size(), http.size());
    }

    @Test
    void aHostWithOnlyTheLibraryAndItsJdbcDriverPays() throws Exception {
        DuitkuTwin twin = new DuitkuTwin(new DuitkuTwin.Settings("127.0.0.1", 0, 3551, "merchant@example.com", SECRET,
                1_000_000_000L, 0, 40_000, 300), Clock.systemUTC());
        twin.start();
        try {
            Result host = run("h2-only", List.of(H2), List.of("-Dduitku.base-url=" + twin.baseUrl(),
                    "-Dduitku.cashout-url=" + twin.cashOutUrl()), "lean-host",
                    "{\"reference\":\"lean-1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\","
                            + "\"amount\":50000}");

            assertThat(host.paid()).as("the host paid; its output:\n" + host.output).isTrue();
            assertThat(twin.transfersExecuted()).isEqualTo(1);
        } finally {
            twin.stop();
        }
    }

    @Test
    void theCallbackBlocksNeedOnlyCamelPlatformHttpMain() throws Exception {
        Result host = run("callbacks", List.of(PLATFORM_HTTP, H2), List.of(), "callback-host",
                "{\"reference\":\"h2h-1\",\"method\":\"H2H\",\"bankCode\":\"009\",\"accountNumber\":\"8760673466\","
                        + "\"amount\":60000000}",
                "{\"reference\":\"dp-1\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                        + "\"accountNumber\":\"1234567890\",\"amount\":150000}");

        assertThat(host.paid()).as("Duitku's callback and Durianpay's notification reached the host's blocks;"
                + " its output:\n" + host.output).isTrue();
    }

    @Test
    void theTwinInAHostWithoutVertxNamesWhatToAdd() throws Exception {
        Result host = run("twin-without-vertx", List.of(H2), List.of("-Dpayouts.twin=true",
                "-Dpayouts.twin.port=0", "-Dpayouts.twin.durianpay-port=0"), "lean-host");

        assertThat(host.exitValue).isNotZero();
        assertThat(host.output).contains("payouts.twin=true", "org.apache.camel:camel-platform-http-main")
                .doesNotContain("NoClassDefFoundError");
    }

    private record Result(int exitValue, String output) {
        boolean paid() {
            return exitValue == 0 && output.contains("all SUCCEEDED")
                    && !output.contains("NoClassDefFoundError") && !output.contains("ClassNotFoundException");
        }
    }

    /** LeanHost in its own JVM on the library's class path, the host's own artifacts and its own code. */
    private static Result run(String name, List<String> hostOwn, List<String> jvmOptions, String... hostArgs)
            throws Exception {
        Set<String> artifacts = new LinkedHashSet<>(library);
        artifacts.addAll(graph.closure(hostOwn));
        List<String> classPath = new ArrayList<>(List.of(Path.of("target", "test-classes").toString(), jar.toString()));
        artifacts.forEach(ga -> classPath.add(graph.jar(ga).toString()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, classPath)));
        command.addAll(jvmOptions);
        command.add(LeanHost.class.getName());
        command.addAll(List.of(hostArgs));
        Path log = Path.of("target", "lean-host", name + ".log");
        Process host = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!host.waitFor(90, TimeUnit.SECONDS)) {
            host.destroyForcibly().waitFor();
        }
        return new Result(host.exitValue(), Files.readString(log));
    }

    /** groupId:artifactId of every dependency pom.xml declares optional. */
    private static Set<String> optionalDependencies(Path pom) throws Exception {
        NodeList dependencies = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getDocumentElement().getElementsByTagName("dependency");
        Set<String> optional = new LinkedHashSet<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (dependency.getParentNode().getParentNode().getNodeName().equals("project")
                    && "true".equals(text(dependency, "optional"))) {
                optional.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
            }
        }
        return optional;
    }

    private static String text(Element element, String child) {
        NodeList found = element.getElementsByTagName(child);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }

    /** Files at the jar's root that a logging backend would read on its own. */
    private static List<String> loggingConfigurationsIn(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).filter(name -> !name.contains("/"))
                    .filter(name -> name.startsWith("log4j") || name.startsWith("logback")
                            || name.startsWith("simplelogger") || name.equals("logging.properties"))
                    .toList();
        }
    }

    /**
     * Maven's runtime dependency graph as {@code mvn dependency:tree -Dverbose} prints it: each
     * artifact (groupId:artifactId, at the version Maven chose) with its dependencies, printed in
     * full where Maven resolved it and in parentheses ("omitted for duplicate/conflict") elsewhere.
     */
    static final class DependencyGraph {

        private static final Pattern NODE = Pattern.compile("^([| ]*)[+\\\\]- (\\()?([^ ]+)");
        private final List<String> direct = new ArrayList<>();
        private final Map<String, List<String>> edges = new HashMap<>();
        private final Map<String, String[]> resolved = new HashMap<>();

        static DependencyGraph read(Path tree) throws Exception {
            DependencyGraph graph = new DependencyGraph();
            Deque<String> parents = new ArrayDeque<>();
            for (String line : Files.readAllLines(tree)) {
                Matcher node = NODE.matcher(line);
                if (!node.find()) {
                    continue; // the project itself
                }
                int depth = node.group(1).length() / 3;
                String[] coordinates = node.group(3).split(":");
                String ga = coordinates[0] + ":" + coordinates[1];
                while (parents.size() > depth) {
                    parents.pop();
                }
                if (depth == 0) {
                    graph.direct.add(ga);
                } else {
                    graph.edges.computeIfAbsent(parents.peek(), k -> new ArrayList<>()).add(ga);
                }
                if (node.group(2) == null) {
                    graph.resolved.put(ga, coordinates);
                }
                parents.push(ga);
            }
            return graph;
        }

        /** The artifacts reachable from {@code roots}, roots included. */
        Set<String> closure(List<String> roots) {
            Set<String> reached = new LinkedHashSet<>();
            Deque<String> next = new ArrayDeque<>(roots);
            while (!next.isEmpty()) {
                String ga = next.pop();
                if (reached.add(ga)) {
                    next.addAll(edges.getOrDefault(ga, List.of()));
                }
            }
            return reached;
        }

        /** The jar Maven resolved for groupId:artifactId, in the local repository. */
        Path jar(String ga) {
            String[] c = resolved.get(ga); // group:artifact:type[:classifier]:version:scope
            String version = c[c.length - 2];
            String classifier = c.length == 6 ? "-" + c[3] : "";
            Path file = Path.of(System.getProperty("payouts.test.local-repository",
                    System.getProperty("user.home") + "/.m2/repository"), c[0].split("\\."))
                    .resolve(c[1]).resolve(version).resolve(c[1] + "-" + version + classifier + "." + c[2]);
            assertThat(file).as(ga).exists();
            return file;
        }

        @Override
        public String toString() {
            return resolved.keySet().stream().sorted().collect(Collectors.joining(", "));
        }
    }
}
