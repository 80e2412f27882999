package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The parameter tables of the Parameters guide ({@code src/site/markdown/parameters.md}) against the
 * plugin descriptor that {@code maven-plugin-plugin}
 * generated from the Mojos ({@code target/classes/META-INF/maven/plugin.xml}, the source of
 * {@code help -Ddetail} and of the site's goal pages), so that neither can drift: every goal but
 * {@code help} has a table after a {@code <!-- parameters: GOAL -->} line, every user parameter
 * of the goal has a row (its {@code dps.*} property and its default as the descriptor has them),
 * and no row names a parameter the goal does not have. A failure lists every difference, with the
 * rows to add.
 */
class ParametersGuideTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path DESCRIPTOR = BASEDIR.resolve("target/classes/META-INF/maven/plugin.xml");
    private static final Path GUIDE = BASEDIR.resolve("src/site/markdown/parameters.md");
    private static final String GUIDE_NAME = "src/site/markdown/parameters.md";
    private static final Pattern MARKER = Pattern.compile("<!-- parameters: ([a-z-]+) ");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    /** A {@code {@code ${a}/b}} in Mojo javadoc comes out as {@code ${a/b}}: an expression with a '/' in it. */
    private static final Pattern MANGLED_EXPRESSION = Pattern.compile("\\$\\{[^}\\s]*/");

    /** One parameter as the descriptor has it. */
    record Parameter(String name, String property, String defaultValue, String description) {
    }

    @Test
    void everyGoalsParametersAreInTheGuideAsTheDescriptorHasThem() throws Exception {
        Map<String, Map<String, Parameter>> goals = descriptor();
        assertTrue(goals.containsKey("generate") && goals.containsKey("verify"), goals.keySet().toString());
        Map<String, List<String[]>> tables = guideTables();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Parameter>> goal : goals.entrySet()) {
            String name = goal.getKey();
            List<String[]> rows = tables.get(name);
            if (rows == null) {
                StringBuilder table = new StringBuilder(GUIDE_NAME + " has no parameter table for goal '" + name
                        + "'; add a section for it:\n## " + name + "\n\n<!-- parameters: " + name + " (checked against the plugin"
                        + " descriptor by ParametersGuideTest) -->\n| parameter | property | default | |\n|---|---|---|---|\n");
                goal.getValue().values().forEach(p -> table.append(row(p)).append('\n'));
                problems.add(table.toString());
                continue;
            }
            Set<String> listed = new LinkedHashSet<>();
            for (String[] row : rows) {
                List<String> names = codes(row[0]);
                List<String> properties = codes(row[1]);
                for (String parameter : names) {
                    listed.add(parameter);
                    Parameter p = goal.getValue().get(parameter);
                    if (p == null) {
                        problems.add(name + ": the guide lists `" + parameter + "`, which the goal does not have");
                        continue;
                    }
                    if (p.property() != null && !properties.contains(p.property())) {
                        problems.add(name + ": the guide's row of `" + parameter + "` lacks its property `"
                                + p.property() + "`");
                    }
                    if (p.property() == null && properties.contains("dps." + parameter)) {
                        problems.add(name + ": `" + parameter + "` has no user property, the guide says `dps."
                                + parameter + "`");
                    }
                    if (p.defaultValue() != null && names.size() == 1 && !codes(row[2]).contains(p.defaultValue())) {
                        problems.add(name + ": the guide's default of `" + parameter + "` is not `"
                                + p.defaultValue() + "`: " + row[2].strip());
                    }
                }
            }
            for (Parameter p : goal.getValue().values()) {
                if (!listed.contains(p.name())) {
                    problems.add(name + ": the guide's table lacks `" + p.name() + "`; add the row\n" + row(p));
                }
            }
        }
        for (String name : tables.keySet()) {
            if (!goals.containsKey(name)) {
                problems.add(GUIDE_NAME + " has a parameter table for goal '" + name + "', which the plugin does not have");
            }
        }
        if (!problems.isEmpty()) {
            fail(GUIDE_NAME + " and the plugin descriptor differ:\n- " + String.join("\n- ", problems));
        }
    }

    @Test
    void helpShowsDefaultExpressionsAsWritten() throws IOException {
        // help -Ddetail and the site show the descriptions of the descriptors
        List<Path> descriptors = new ArrayList<>();
        try (var files = Files.walk(BASEDIR.resolve("target/classes/META-INF/maven"))) {
            files.filter(f -> f.getFileName().toString().matches("plugin(-help)?\\.xml")).forEach(descriptors::add);
        }
        assertTrue(descriptors.size() >= 2, descriptors.toString());
        for (Path d : descriptors) {
            Matcher m = MANGLED_EXPRESSION.matcher(Files.readString(d, StandardCharsets.UTF_8));
            if (m.find()) {
                fail(d + " has the mangled expression '" + m.group() + "…' (a {@code ${…}…} in Mojo javadoc:"
                        + " write <code>${…}…</code>)");
            }
        }
    }

    private static String row(Parameter p) {
        String description = p.description().replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").strip();
        return "| `" + p.name() + "` | " + (p.property() == null ? "" : "`" + p.property() + "`") + " | "
                + (p.defaultValue() == null ? "" : "`" + p.defaultValue() + "`") + " | " + description + " |";
    }

    private static List<String> codes(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** goal → its user parameters (editable, not the help goal), from plugin.xml. */
    static Map<String, Map<String, Parameter>> descriptor() throws Exception {
        assertTrue(Files.isRegularFile(DESCRIPTOR), DESCRIPTOR + " missing: run the build through process-classes");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(DESCRIPTOR.toFile());
        Map<String, Map<String, Parameter>> goals = new LinkedHashMap<>();
        NodeList mojos = doc.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            if (goal.equals("help")) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            Map<String, String> defaults = new LinkedHashMap<>();
            Element configuration = child(mojo, "configuration");
            if (configuration != null) {
                for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        String expression = e.getTextContent().strip();
                        if (expression.startsWith("${") && expression.endsWith("}")) {
                            properties.put(e.getTagName(), expression.substring(2, expression.length() - 1));
                        }
                        if (e.hasAttribute("default-value")) {
                            defaults.put(e.getTagName(), e.getAttribute("default-value"));
                        }
                    }
                }
            }
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            Element list = child(mojo, "parameters");
            for (Node n = list == null ? null : list.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element p && "true".equals(text(p, "editable"))) {
                    String name = text(p, "name");
                    parameters.put(name, new Parameter(name, properties.get(name), defaults.get(name),
                            text(p, "description")));
                }
            }
            goals.put(goal, parameters);
        }
        return goals;
    }

    /** goal → the rows of the table after its marker (cells split on '|'). */
    static Map<String, List<String[]>> guideTables() throws IOException {
        List<String> lines = Files.readAllLines(GUIDE, StandardCharsets.UTF_8);
        Map<String, List<String[]>> tables = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (!m.lookingAt()) {
                continue;
            }
            List<String[]> rows = new ArrayList<>();
            int j = i + 1;
            // header and separator, then the rows
            for (j += 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                String[] cells = lines.get(j).substring(1).split("\\|", -1);
                if (cells.length < 4) {
                    throw new AssertionError(GUIDE_NAME + ":" + (j + 1) + ": a parameter row has 4 cells: " + lines.get(j));
                }
                rows.add(cells);
            }
            tables.put(m.group(1), rows);
        }
        return tables;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }
}
