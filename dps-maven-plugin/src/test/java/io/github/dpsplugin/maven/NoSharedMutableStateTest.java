package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.output.Shard;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code generate} is declared thread-safe and runs in parallel in a {@code mvn -T} reactor, with
 * several builds sharing one plugin class realm. So no class of the plugin or of dps-core may keep
 * mutable state in a static field: every static field is final, and of a type that cannot change
 * (or is per thread). A new kind of static field fails here until someone has thought about it.
 */
class NoSharedMutableStateTest {

    /** Types whose instances never change after construction (or, ThreadLocal, are never shared). */
    /**
     * Shared on purpose: the registry of output-directory locks of this JVM (runs of one build into
     * one directory must see each other; thread-safe maps), and the directory-sync hook of the UDS
     * file writer, replaced only by its test.
     */
    private static final Set<String> SHARED_ON_PURPOSE = Set.of(
            "io.github.dpsplugin.core.output.OutputLock.IN_JVM", "io.github.dpsplugin.core.output.OutputLock.HOLDERS",
            "io.github.dpsplugin.core.fleet.UdsFileDirectory.sync");

    private static final Set<String> IMMUTABLE = Set.of("java.lang.String", "java.util.regex.Pattern",
            "java.time.Duration",
            "java.math.BigInteger", "java.time.Instant", "java.time.LocalDateTime", "java.lang.ThreadLocal",
            "org.bouncycastle.asn1.ASN1ObjectIdentifier", "org.bouncycastle.asn1.DERSequence",
            "org.bouncycastle.asn1.ASN1Encodable", "org.bouncycastle.asn1.x9.X9ECParameters",
            "org.bouncycastle.crypto.params.ECDomainParameters", "javax.crypto.spec.SecretKeySpec",
            // Jackson: a factory is thread-safe once built; the indenter is immutable; the pretty
            // printer is only a blueprint, every generator gets its own createInstance()
            "com.fasterxml.jackson.core.JsonFactory", "com.fasterxml.jackson.core.util.DefaultIndenter",
            "com.fasterxml.jackson.core.util.DefaultPrettyPrinter",
            // databind's reader and writer are immutable ("mutant factory": every change makes a new one)
            "com.fasterxml.jackson.databind.ObjectReader", "com.fasterxml.jackson.databind.ObjectWriter",
            // own immutable types: value classes, an immutable listener, a table filled in its constructor
            "io.github.dpsplugin.core.output.Shard", "io.github.dpsplugin.core.fleet.BatchListener",
            "io.github.dpsplugin.core.riot.FixedBaseTable", "io.github.dpsplugin.core.x509.CertificateTemplates",
            // the file system's storage: no state of its own
            "io.github.dpsplugin.core.output.StagedOutput$Storage");

    @Test
    void everyStaticFieldOfThePluginAndTheCoreIsFinalAndImmutable() throws Exception {
        List<String> classes = new ArrayList<>();
        classes.addAll(classesBeside(GenerateMojo.class));
        classes.addAll(classesBeside(BatchGenerator.class));
        assertTrue(classes.contains("io.github.dpsplugin.maven.GenerateMojo"), classes.toString());
        assertTrue(classes.contains("io.github.dpsplugin.core.firmware.LinkMap"), classes.toString());

        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String name : classes) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) || f.isSynthetic()) {
                    continue;
                }
                checked++;
                Class<?> t = f.getType();
                String where = name + "." + f.getName();
                if (SHARED_ON_PURPOSE.contains(where)) {
                    continue;
                }
                if (!Modifier.isFinal(m)) {
                    problems.add(where + " is not final");
                } else if (t.isArray()) {
                    // constant tables (SHA-256 round constants, symbol names): private, never written after init
                    if (!Modifier.isPrivate(m)) {
                        problems.add(where + " is a non-private array: anyone could change it");
                    }
                } else if (!t.isPrimitive() && !t.isEnum() && !IMMUTABLE.contains(t.getName())) {
                    problems.add(where + " has type " + t.getName() + ", not known to be immutable");
                }
            }
        }
        assertTrue(checked > 40, "checked " + checked + " static fields");
        assertEquals(List.of(), problems);
    }

    /** The classes of the directory or jar {@code anchor} was loaded from. */
    private static List<String> classesBeside(Class<?> anchor) throws IOException, URISyntaxException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(p -> p.toString().endsWith(".class"))
                        .map(p -> root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), ".")
                                .replaceAll("\\.class$", ""))
                        .collect(Collectors.toList());
            }
        }
        try (JarFile jar = new JarFile(root.toFile())) {
            return jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.contains("-"))
                    .map(n -> n.replace('/', '.').replaceAll("\\.class$", "")).collect(Collectors.toList());
        }
    }
}
