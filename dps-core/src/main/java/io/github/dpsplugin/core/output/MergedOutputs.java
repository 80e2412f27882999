package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files beside a merged manifest: each device's certificates copied from its shard's output
 * (its {@code .pem} files, or its shard's archive when the shards wrote no files), and the archive,
 * enrollment and rollout files rebuilt with the writers {@code generate} uses, in the fleet's
 * order, so that the merged directory is byte for byte what one unsharded run writes. One device
 * at a time: memory holds what {@code generate} holds (the output's names, the archive's central
 * directory, the rollout's IDs), never a shard's certificates.
 */
final class MergedOutputs implements AutoCloseable {

    private static final String FIELD = "manifests";
    /** A PEM certificate of this plugin is under 2 KB; anything far larger is not one. */
    private static final int MAX_CERTIFICATE = 64 * 1024;
    /** The header lines of the scripts searched for the DPS name, resource group and rollout title. */
    private static final int SCRIPT_HEADER_LINES = 30;
    private static final String ROLLOUT_TITLE_PREFIX = "# Firmware rollout ";
    private static final String ROLLOUT_TITLE_SUFFIX = ": DPS individual X.509 enrollments";

    /** A device of a shard's manifest: what the merge needs besides copying its JSON. */
    record Listed(String registrationId, String aliasFile, String deviceIdFile, String previousRegistrationId,
            String previousAliasFile, boolean rollout, String aliasSha256, String deviceIdSha256,
            String previousAliasSha256) {
    }

    /** The outputs a shard's directory holds besides the manifest and certificates. */
    private record Kinds(boolean archive, boolean enrollment, boolean rollout, String dpsName, String resourceGroup,
            String title) {
    }

    private final StagedOutput out;
    private final Kinds kinds;
    private final List<ZipFile> archives = new ArrayList<>();
    private final CertificateArchive archive;
    private final EnrollmentWriter enrollment;
    private final RolloutWriter rollout;
    /** Whether the merge writes {@code .pem} files: the shards did, or the merged directory holds them. */
    private Boolean files;

    private MergedOutputs(StagedOutput out, Kinds kinds, List<Path> shardDirectories) throws IOException {
        this.out = out;
        this.kinds = kinds;
        try {
            if (kinds.archive) {
                for (Path d : shardDirectories) {
                    archives.add(new ZipFile(d.resolve(CertificateArchive.FILE_NAME).toFile()));
                }
            }
        } catch (IOException e) {
            closeArchives();
            throw e;
        }
        this.rollout = kinds.rollout ? new RolloutWriter(out, kinds.dpsName, kinds.resourceGroup, kinds.title) : null;
        this.archive = kinds.archive ? new CertificateArchive(out.newOutputStream(CertificateArchive.FILE_NAME)) : null;
        this.enrollment = kinds.enrollment ? new EnrollmentWriter(out, kinds.dpsName, kinds.resourceGroup) : null;
    }

    /**
     * Opens the outputs of a merge of the shards in {@code shardDirectories} (shard order), which
     * must all hold the same kinds of output; {@code sources} names them in errors.
     */
    static MergedOutputs open(StagedOutput out, List<Path> shardDirectories, List<String> sources, boolean rollout)
            throws IOException {
        Kinds first = null;
        for (int i = 0; i < shardDirectories.size(); i++) {
            Kinds k = kinds(shardDirectories.get(i), sources.get(i), rollout);
            if (first != null && !first.equals(k)) {
                throw new DpsException(FIELD, sources.get(i) + " lies beside other outputs than " + sources.get(0)
                        + " (" + describe(k) + " instead of " + describe(first) + "); the shards must come from one"
                        + " build with the same parameters");
            }
            first = first == null ? k : first;
        }
        return new MergedOutputs(out, first, shardDirectories);
    }

    private static String describe(Kinds k) {
        return "archive " + k.archive + ", enrollment " + k.enrollment + (k.dpsName == null ? "" : ", dpsName '"
                + k.dpsName + "'") + (k.resourceGroup == null ? "" : ", resourceGroup '" + k.resourceGroup + "'")
                + (k.title == null ? "" : ", rollout " + k.title);
    }

    private static Kinds kinds(Path dir, String source, boolean rollout) throws IOException {
        boolean archive = Files.isRegularFile(dir.resolve(CertificateArchive.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
        Path enroll = dir.resolve(EnrollmentWriter.SCRIPT);
        boolean enrollment = Files.isRegularFile(enroll, LinkOption.NOFOLLOW_LINKS);
        Path script = rollout ? dir.resolve(RolloutWriter.SCRIPT) : enrollment ? enroll : null;
        if (script == null) {
            return new Kinds(archive, false, false, null, null, null);
        }
        if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS)) {
            throw new DpsException(FIELD, source + " is a rollout's manifest but " + script + " is missing; give"
                    + " each shard's whole output directory, as generate wrote it");
        }
        String dpsName = null;
        String resourceGroup = null;
        String title = null;
        // the script's header records dpsName, resourceGroup (and the rollout's title) as generate was given them
        try (BufferedReader r = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            for (int i = 0; i < SCRIPT_HEADER_LINES; i++) {
                String line = r.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("DPS_NAME=")) {
                    dpsName = unquote(line.substring("DPS_NAME=".length()));
                } else if (line.startsWith("RESOURCE_GROUP=")) {
                    resourceGroup = unquote(line.substring("RESOURCE_GROUP=".length()));
                } else if (line.startsWith(ROLLOUT_TITLE_PREFIX) && line.contains(ROLLOUT_TITLE_SUFFIX)) {
                    title = line.substring(ROLLOUT_TITLE_PREFIX.length(), line.lastIndexOf(ROLLOUT_TITLE_SUFFIX));
                }
            }
        }
        if (rollout && title == null) {
            throw new DpsException(FIELD, script + " has no rollout title line; is it the " + RolloutWriter.SCRIPT
                    + " generate wrote beside " + source + "?");
        }
        return new Kinds(archive, enrollment, rollout, dpsName, resourceGroup, title);
    }

    /** The value of a script's {@code NAME=} line: a shell-quoted literal, or null for the environment default. */
    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1).replace("'\\''", "'");
        }
        return null;
    }

    /**
     * Checks a shard's device as {@code generate} would have written it: a valid registration ID
     * (and previous ID) and the file names that ID gives, so that nothing else is ever read or written.
     */
    static void check(Listed d, String where) {
        RegistrationId id = registrationId(d.registrationId, "registrationId", where);
        expect(where, "aliasCertificate", d.aliasFile, FileNames.aliasCertificate(id));
        expect(where, "deviceIdCertificate", d.deviceIdFile, FileNames.deviceIdCertificate(id));
        RegistrationId previous = d.previousRegistrationId == null ? id
                : registrationId(d.previousRegistrationId, "previousRegistrationId", where);
        if (d.previousAliasFile != null) {
            expect(where, "previousAliasCertificate", d.previousAliasFile, RolloutWriter.previousFileName(previous));
        }
        if (d.previousRegistrationId != null && d.previousAliasFile == null && d.rollout) {
            throw new DpsException(FIELD, where + ": previousRegistrationId without previousAliasCertificate; generate"
                    + " writes the previous certificate of every device whose ID changes");
        }
    }

    private static RegistrationId registrationId(String value, String field, String where) {
        if (value == null) {
            throw new DpsException(FIELD, where + " has no \"" + field + "\" string");
        }
        try {
            RegistrationId id = RegistrationId.of(value);
            FileNames.stem(id);
            return id;
        } catch (DpsException e) {
            String m = e.getMessage();
            String detail = m.startsWith(e.field() + ": ") ? m.substring(e.field().length() + 2) : m;
            throw new DpsException(FIELD, where + ": " + field + " " + detail
                    + "; generate writes no such ID: is the manifest edited or from elsewhere?");
        }
    }

    private static void expect(String where, String field, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new DpsException(FIELD, where + ": " + field + " is " + DpsException.quote(actual) + " where generate"
                    + " writes " + DpsException.quote(expected) + " for this ID; is the manifest edited or from"
                    + " elsewhere?");
        }
    }

    /** Copies one device's certificates from shard {@code shard} (0-based) and adds it to the rebuilt files. */
    void add(int shard, Path shardDirectory, String where, Listed d) {
        if (files == null) {
            // an archive-only run wrote no .pem files (and then neither does the merge)
            files = !kinds.archive || Files.exists(shardDirectory.resolve(d.aliasFile), LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(out.directory().resolve(d.aliasFile), LinkOption.NOFOLLOW_LINKS);
        }
        boolean written = d.previousAliasFile != null;
        byte[] alias = read(shard, shardDirectory, where, d.aliasFile, d.aliasSha256);
        byte[] deviceId = read(shard, shardDirectory, where, d.deviceIdFile, d.deviceIdSha256);
        byte[] previous = written ? read(shard, shardDirectory, where, d.previousAliasFile, d.previousAliasSha256)
                : null;
        if (rollout != null) {
            RolloutWriter.Change change = d.previousRegistrationId != null ? RolloutWriter.Change.REGISTRATION_ID
                    : written ? RolloutWriter.Change.CERTIFICATE : RolloutWriter.Change.UNCHANGED;
            String previousId = Objects.requireNonNullElse(d.previousRegistrationId, d.registrationId);
            rollout.add(d.registrationId, d.aliasFile, ascii(alias), previousId, d.previousAliasFile,
                    previous == null ? null : ascii(previous), change);
        }
        if (files) {
            if (!out.writeNewLater(d.aliasFile, alias) || !out.writeNewLater(d.deviceIdFile, deviceId)
                    || written && !out.writeNewLater(d.previousAliasFile, previous)) {
                throw new DpsException(FIELD, where + ": the file names of registration ID '" + d.registrationId
                        + "' are another device's as well; the shards overlap");
            }
        }
        if (archive != null) {
            CertificateArchive.Entry[] z = CertificateArchive.compress(alias, deviceId, previous);
            archive.add(d.aliasFile, z[0]);
            archive.add(d.deviceIdFile, z[1]);
            if (written) {
                archive.add(d.previousAliasFile, z[2]);
            }
        }
        if (enrollment != null) {
            enrollment.add(d.registrationId, d.aliasFile, ascii(alias));
        }
    }

    /**
     * A listed certificate's bytes, checked against the thumbprint the shard's manifest gives: from
     * the shard's output, else (certificates gathered beside the merged output, as earlier versions
     * had users do) the same file already in the merged directory, when it is that very certificate.
     */
    private byte[] read(int shard, Path dir, String where, String name, String sha256) {
        byte[] content = readListed(shard, dir, where, name, sha256);
        if (content != null) {
            return content;
        }
        Path here = out.directory().resolve(name);
        if (Files.isRegularFile(here, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = readFile(here, where);
            if (sha256 != null && sha256.equals(thumbprint(b))) {
                return b;
            }
        }
        throw new DpsException(FIELD, where + ": " + dir.resolve(name) + " is missing (or not a regular file); the"
                + " merged directory is a whole fleet output, so every shard's certificates are needed: give each"
                + " shard's whole output directory as generate wrote it (or merge the manifests only)");
    }

    /** The SHA-256 thumbprint of a PEM certificate (of its DER, upper-case hex, as the manifest gives it), or null. */
    private static String thumbprint(byte[] pem) {
        try {
            return Hashes.upperHex(Hashes.sha256(Pem.decode(Pem.CERTIFICATE, ascii(pem))));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] readFile(Path p, String where) {
        try {
            if (Files.size(p) > MAX_CERTIFICATE) {
                throw new DpsException(FIELD, where + ": " + p + " has " + Files.size(p) + " bytes; not a"
                        + " certificate of this plugin");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + p + " of " + where + ": " + e.getMessage(), e);
        }
    }

    /** The certificate from the shard's output, checked against {@code sha256}; null when it is not there. */
    private byte[] readListed(int shard, Path dir, String where, String name, String sha256) {
        byte[] b = readShard(shard, dir, where, name);
        if (b != null && sha256 != null && !sha256.equals(thumbprint(b))) {
            throw new DpsException(FIELD, where + ": " + dir.resolve(name) + " is not the certificate the manifest"
                    + " lists (its SHA-256 thumbprint differs from " + sha256 + "): is the shard's output from"
                    + " another run, or edited?");
        }
        return b;
    }

    /** The certificate's file in the shard's output, else its entry in the shard's archive; null when neither. */
    private byte[] readShard(int shard, Path dir, String where, String name) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return readFile(p, where);
        }
        if (archives.isEmpty()) {
            return null;
        }
        ZipFile zip = archives.get(shard);
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] content = in.readNBytes(MAX_CERTIFICATE + 1);
            if (content.length > MAX_CERTIFICATE) {
                throw new DpsException(FIELD, where + ": " + name + " in " + zip.getName() + " is larger than "
                        + MAX_CERTIFICATE + " bytes; not a certificate of this plugin");
            }
            return content;
        } catch (IOException x) {
            throw DpsException.environment(FIELD, "cannot read " + name + " in " + zip.getName() + ": "
                    + x.getMessage(), x);
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Finishes the rebuilt files; quietly after a failure (they are discarded, the first error counts). */
    void finish(boolean failed) {
        Writers.closeAll(failed, rollout, archive, enrollment);
    }

    @Override
    public void close() {
        closeArchives();
    }

    private void closeArchives() {
        for (ZipFile z : archives) {
            try {
                z.close();
            } catch (IOException ignored) {
                // read only
            }
        }
    }
}
