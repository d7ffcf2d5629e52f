package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the plugin descriptor that maven-plugin-plugin generated from the Mojo annotations (what Maven itself reads
 * to run the goals) and checks the promises of the plugin: the goals, thread safety, runs without a pom.xml, the
 * Maven version it asks for, and that every parameter is settable as {@code oneclick.<name>}.
 */
class PluginDescriptorTest {
    private static final Path DESCRIPTOR = Path.of(System.getProperty("basedir", "."))
            .resolve("target/classes/META-INF/maven/plugin.xml");

    /** The parameters issue 4 names, each settable in the POM and as {@code oneclick.<name>}, on every goal. */
    private static final List<String> SHARED = List.of("guid", "userId", "projectName", "siteDir", "buildCommand",
            "region", "profile", "s3Endpoint", "cloudFrontEndpoint", "dynamoDbEndpoint", "s3Compatible", "tableName",
            "prune", "maxDeletes", "cacheRules", "spaFallback", "waitForDeployed", "notifyUrl", "skip", "target");

    private static Map<String, Element> mojos() throws Exception {
        assertTrue(Files.isRegularFile(DESCRIPTOR), "descriptor generated at " + DESCRIPTOR);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
        Map<String, Element> out = new LinkedHashMap<>();
        NodeList list = doc.getElementsByTagName("mojo");
        for (int i = 0; i < list.getLength(); i++) {
            Element m = (Element) list.item(i);
            out.put(text(m, "goal"), m);
        }
        return out;
    }

    private static String text(Element parent, String child) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(child)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    /** The property expression of each configured parameter, e.g. guid -> ${oneclick.guid}. */
    private static Map<String, String> expressions(Element mojo) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n = mojo.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("configuration")) {
                for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element p) {
                        out.put(p.getTagName(), p.getTextContent().trim());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void descriptor_whenGenerated_hasEveryGoalIncludingHelp() throws Exception {
        assertEquals(List.of("deploy", "destroy", "help", "install-skills", "plan", "status"),
                mojos().keySet().stream().sorted().toList());
    }

    @Test
    void descriptor_whenGenerated_everyGoalIsThreadSafeAndRunsWithoutAPom() throws Exception {
        for (Map.Entry<String, Element> m : mojos().entrySet()) {
            assertEquals("true", text(m.getValue(), "threadSafe"), m.getKey() + " threadSafe");
            assertEquals("false", text(m.getValue(), "requiresProject"), m.getKey() + " requiresProject");
        }
    }

    @Test
    void descriptor_whenGenerated_asksForAMavenThatDebianStableShips() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
        String required = doc.getElementsByTagName("requiredMavenVersion").item(0).getTextContent().trim();
        String[] parts = required.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        int patch = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
        assertTrue(major < 3 || (major == 3 && (minor < 8 || (minor == 8 && patch <= 7))),
                "requiredMavenVersion " + required + " must be at most 3.8.7");
    }

    @Test
    void descriptor_whenGenerated_everyParameterIsSettableAsOneclickProperty() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Element> m : mojos().entrySet()) {
            if (m.getKey().equals("help")) {
                continue;
            }
            Map<String, String> expr = expressions(m.getValue());
            List<String> expected = new ArrayList<>(SHARED);
            if (m.getKey().equals("deploy")) {
                expected.add("outputFile");
            }
            for (String name : expected) {
                if (!("${oneclick." + name + "}").equals(expr.get(name))) {
                    wrong.add(m.getKey() + "." + name + " = " + expr.get(name));
                }
            }
            // and no user parameter without a oneclick.* property (session, project, mojoExecution are Maven's own)
            for (Map.Entry<String, String> e : expr.entrySet()) {
                if (!e.getKey().equals("session") && !e.getKey().equals("project")
                        && !e.getKey().equals("mojoExecution")
                        && !e.getValue().startsWith("${oneclick.")) {
                    wrong.add(m.getKey() + "." + e.getKey() + " = " + e.getValue());
                }
            }
        }
        assertEquals(List.of(), wrong, "parameters not settable as oneclick.<name>");
    }
}
