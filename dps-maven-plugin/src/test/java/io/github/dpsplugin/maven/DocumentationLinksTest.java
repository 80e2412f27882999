package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The README and the guides ({@code src/site/markdown}, readable in the repository and rendered by
 * {@code mvn site}) link to each other by relative paths: every such link must name a file that
 * exists and, with a {@code #fragment}, a heading of that file (as the forge makes anchors from
 * headings). Links to the site's generated pages ({@code .html}) and to other sites are not checked
 * here; the site build and CI check the pages. And the site's index must list every goal of the
 * plugin, linked to its goal page.
 */
class DocumentationLinksTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path ROOT = BASEDIR.getParent();
    private static final Path GUIDES = BASEDIR.resolve("src/site/markdown");
    /** An inline link or image: {@code [text](target)}; reference-style links are not used. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> documents = documents();
        assertTrue(documents.size() >= 10, "README and guides: " + documents);
        List<String> problems = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path document : documents) {
            List<String> lines = proseLines(document);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = LINK.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue;   // https:, mailto:
                    }
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    String fragment = hash < 0 ? null : target.substring(hash + 1);
                    if (file.endsWith(".html")) {
                        continue;   // a page the site generates (goal pages, plugin-info)
                    }
                    String where = ROOT.relativize(document) + ":" + (i + 1) + ": ";
                    Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                    checked++;
                    if (!Files.exists(resolved)) {
                        problems.add(where + target + ": " + ROOT.relativize(resolved) + " does not exist");
                        continue;
                    }
                    if (fragment != null && Files.isRegularFile(resolved) && resolved.toString().endsWith(".md")
                            && !anchors.computeIfAbsent(resolved, DocumentationLinksTest::anchors).contains(fragment)) {
                        problems.add(where + target + ": " + ROOT.relativize(resolved) + " has no heading with the anchor '"
                                + fragment + "' (it has " + anchors.get(resolved) + ")");
                    }
                }
            }
        }
        assertTrue(checked >= 50, "only " + checked + " relative links found: is the link pattern right?");
        if (!problems.isEmpty()) {
            fail("links that do not resolve:\n- " + String.join("\n- ", problems));
        }
    }

    @Test
    void anchorsAreTheForgesHeadingIds() {
        // the rule the forge applies, on headings of these guides
        assertEquals("the-uds-in-settingsxml-or-the-environment-never-in-the-pom",
                anchorOf("The UDS: in settings.xml or the environment, never in the POM"));
        assertEquals("outputs-in-targetdps-by-default-dpsoutputdirectory",
                anchorOf("Outputs (in `target/dps/` by default, `dps.outputDirectory`)"));
        assertEquals("enrolling-dpsenroll", anchorOf("Enrolling: `dps:enroll`"));
        assertEquals("the-devkits-fixed-ecdsa-nonce", anchorOf("The DevKit's fixed ECDSA nonce"));
    }

    @Test
    void theSiteIndexListsEveryGoal() throws Exception {
        String index = Files.readString(GUIDES.resolve("index.md"), StandardCharsets.UTF_8);
        List<String> goals = goals();
        assertTrue(goals.contains("generate") && goals.contains("help"), goals.toString());
        List<String> missing = new ArrayList<>();
        for (String goal : goals) {
            if (!index.contains("[`dps:" + goal + "`](" + goal + "-mojo.html)")) {
                missing.add(goal);
            }
        }
        if (!missing.isEmpty()) {
            fail("src/site/markdown/index.md does not list the goals " + missing + "; add a row such as\n"
                    + "| [`dps:" + missing.get(0) + "`](" + missing.get(0) + "-mojo.html) | what it does |");
        }
    }

    /** README.md and every guide. */
    private static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.list(GUIDES)) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The document's lines with fenced code blocks blanked (a link in a code sample is not a link). */
    private static List<String> proseLines(Path document) throws IOException {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                out.add("");
            } else {
                out.add(inFence ? "" : line);
            }
        }
        return out;
    }

    /** The anchors of a Markdown file's headings, with the forge's suffixes for repeated headings. */
    private static Set<String> anchors(Path document) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (String line : proseLines(document)) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    String anchor = anchorOf(m.group(2));
                    int n = seen.merge(anchor, 1, Integer::sum) - 1;
                    out.add(n == 0 ? anchor : anchor + "-" + n);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Lower case, punctuation dropped (letters, digits, '-', '_' and spaces kept), spaces as '-'. */
    static String anchorOf(String heading) {
        String text = heading.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                sb.appendCodePoint(c);
            } else if (c == ' ') {
                sb.append('-');
            }
        });
        return sb.toString();
    }

    /** Every goal of the plugin descriptor, help included. */
    private static List<String> goals() throws Exception {
        Path descriptor = BASEDIR.resolve("target/classes/META-INF/maven/plugin.xml");
        assertTrue(Files.isRegularFile(descriptor), descriptor + " missing: run the build through process-classes");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList mojos = f.newDocumentBuilder().parse(descriptor.toFile()).getElementsByTagName("mojo");
        List<String> goals = new ArrayList<>();
        for (int i = 0; i < mojos.getLength(); i++) {
            NodeList goal = ((Element) mojos.item(i)).getElementsByTagName("goal");
            goals.add(goal.item(0).getTextContent().strip());
        }
        return goals;
    }
}
