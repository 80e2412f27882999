package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.io.JsonIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the {@code dps-manifest.json} files of the n shards of one fleet ({@code dps.shard=i/n}
 * on n CI jobs) into the manifest of the whole fleet: the same bytes as one unsharded run would
 * have written. Shard i holds the devices at positions ≡ i−1 (mod n), so the devices are taken
 * round-robin, shard 1 first, streaming (one device of each shard in memory at a time).
 *
 * <p>Refused, with nothing written: a file that is not a manifest or not a shard, shards of
 * different splits, a missing or repeated shard, shards of different firmware or nonce policy,
 * shards whose sizes cannot come from one split of one fleet (a truncated or foreign shard), and a
 * registration ID listed twice.
 */
public final class ManifestMerger {

    private static final String FIELD = "manifests";
    /** Whether the merge reads a device's field {@code name}, besides copying it. */
    private static boolean listed(String name) {
        return switch (name) {
            case "registrationId", "aliasCertificate", "deviceIdCertificate", "previousRegistrationId",
                    "previousAliasCertificate", "aliasThumbprintSha256", "deviceIdThumbprintSha256",
                    "previousAliasThumbprintSha256" -> true;
            default -> false;
        };
    }

    /** Memory kept per device by a manifest-only merge (its ID in a hash set), roughly. */
    static final int BYTES_PER_DEVICE = 120;
    /** The same for a whole output (also the output's file names, the archive's directory, the rollout's IDs). */
    static final int BYTES_PER_DEVICE_OUTPUTS = 600;

    /** The outcome: how many devices and shards were merged. */
    public record Result(long devices, int shards) {
    }

    private ManifestMerger() {
    }

    /**
     * Merges {@code shardManifests} (any order) into the manifest {@code target}, which is replaced
     * only when the merge succeeded; no other file is written, and none is removed (the certificates
     * a previous manifest in that directory lists stay).
     */
    public static Result merge(List<Path> shardManifests, Path target) {
        return merge(shardManifests, target, false);
    }

    /**
     * Merges the shards (their manifests, or the directories holding them, any order) into
     * {@code directory} as a whole fleet output, byte for byte what one unsharded run writes there:
     * the manifest, every device's certificates copied from its shard's output, and the archive and
     * enrollment or rollout files when the shards have them. Published as {@code generate} publishes:
     * all at once when the merge succeeded; of what was there, only files the previous manifest
     * listed and the merged one does not are removed.
     */
    public static Result mergeOutputs(List<Path> shardManifests, Path directory) {
        return merge(shardManifests, directory.resolve(ManifestWriter.FILE_NAME), true);
    }

    private static Result merge(List<Path> shardManifests, Path target, boolean outputs) {
        if (shardManifests == null || shardManifests.isEmpty()) {
            throw new DpsException(FIELD, "no manifest to merge; give the dps-manifest.json of every shard");
        }
        List<Input> inputs = new ArrayList<>();
        try {
            for (Path p : shardManifests) {
                inputs.add(Input.open(p));
            }
            inputs.sort(Comparator.comparingInt(in -> in.shard.index()));
            checkSplit(inputs);
            Path parent = target.toAbsolutePath().normalize().getParent();
            for (Input in : inputs) {
                if (in.directory.equals(parent)) {
                    throw new DpsException(FIELD, "the merged manifest " + target + " would replace the shard "
                            + in.source + "; merge into another directory");
                }
            }
            Result result;
            try (StagedOutput staged = StagedOutput.open(parent)) {
                if (!outputs) {
                    staged.keepPreviousFiles();
                }
                String name = target.getFileName().toString();
                MergedOutputs files = null;
                boolean failed = true;
                try (OutputStream out = staged.newOutputStream(name); JsonGenerator g = JsonIo.generator(out)) {
                    if (outputs) {
                        files = MergedOutputs.open(staged, inputs.stream().map(in -> in.directory).toList(),
                                inputs.stream().map(in -> in.source).toList(), inputs.get(0).rollout());
                    }
                    result = write(inputs, g, files);
                    JsonIo.endDocument(g);
                    failed = false;
                } finally {
                    if (files != null) {
                        try {
                            files.finish(failed);
                        } finally {
                            files.close();
                        }
                    }
                }
                staged.publish();
            }
            return result;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DpsException(FIELD, "cannot merge the manifests: " + e.getMessage(), e);
        } catch (IOException e) {
            // reading or writing failed (disk, permissions): the environment's fault, not the shards'
            throw DpsException.environment(FIELD, "cannot merge the manifests: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            long devices = inputs.stream().mapToLong(in -> in.deviceCount).sum();
            throw DpsException.environment(FIELD, "out of memory after " + devices + " devices: the merge streams"
                    + " the manifests and certificates, but keeps every registration ID (to find overlapping shards)"
                    + (outputs ? " and, as generate does, every output file name and the archive's directory"
                            : "") + " in memory, about " + (outputs ? BYTES_PER_DEVICE_OUTPUTS : BYTES_PER_DEVICE)
                    + " bytes per device; give the JVM more (MAVEN_OPTS=-Xmx...)", null);
        } finally {
            for (Input in : inputs) {
                in.close();
            }
        }
    }

    /** Shard i of n for every i, once, all of the same n, and the same fleet-wide fields. */
    private static void checkSplit(List<Input> inputs) {
        Input first = inputs.get(0);
        int n = first.shard.count();
        for (Input in : inputs) {
            if (in.shard.count() != n) {
                throw new DpsException(FIELD, in.source + " is shard " + in.shard + " but " + first.source
                        + " is shard " + first.shard + "; merge the shards of one split (one n)");
            }
        }
        for (int i = 1; i < inputs.size(); i++) {
            if (inputs.get(i).shard.index() == inputs.get(i - 1).shard.index()) {
                throw new DpsException(FIELD, inputs.get(i - 1).source + " and " + inputs.get(i).source
                        + " are both shard " + inputs.get(i).shard + "; give each shard once");
            }
        }
        if (inputs.size() != n) {
            List<Integer> missing = new ArrayList<>();
            Set<Integer> present = new HashSet<>();
            inputs.forEach(in -> present.add(in.shard.index()));
            for (int i = 1; i <= n; i++) {
                if (!present.contains(i)) {
                    missing.add(i);
                }
            }
            throw new DpsException(FIELD, "shard" + (missing.size() == 1 ? " " : "s ") + join(missing, n)
                    + (missing.size() == 1 ? " is" : " are") + " missing; the fleet was split into " + n
                    + " and every shard's dps-manifest.json is needed");
        }
        for (Input in : inputs) {
            if (!in.header.keySet().equals(first.header.keySet())) {
                throw new DpsException(FIELD, in.source + " has the fields " + in.header.keySet() + " but "
                        + first.source + " has " + first.header.keySet() + "; are they from the same plugin version?");
            }
            for (Map.Entry<String, String> f : first.header.entrySet()) {
                if (!f.getValue().equals(in.header.get(f.getKey()))) {
                    throw new DpsException(FIELD, "shard " + in.shard + " (" + in.source + ") has another \""
                            + f.getKey() + "\" than shard " + first.shard + " (" + first.source + "): "
                            + in.header.get(f.getKey()) + " instead of " + f.getValue()
                            + "; the shards must come from one build of one firmware");
                }
            }
        }
    }

    private static String join(List<Integer> indexes, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < indexes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(indexes.get(i)).append('/').append(n);
        }
        return b.toString();
    }

    private static Result write(List<Input> inputs, JsonGenerator g, MergedOutputs files) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> f : inputs.get(0).header.entrySet()) {
            g.writeFieldName(f.getKey());
            try (JsonParser value = JsonIo.parser(new StringReader(f.getValue()))) {
                value.nextToken();
                g.copyCurrentStructure(value);
            }
        }
        g.writeArrayFieldStart("devices");
        Set<String> ids = new HashSet<>();
        long devices = 0;
        int n = inputs.size();
        boolean more = true;
        while (more) {
            for (int i = 0; i < n; i++) {
                Input in = inputs.get(i);
                String where = in.source + ": devices[" + in.deviceCount + "]";
                MergedOutputs.Listed listed = in.copyDevice(g, ids);
                if (listed == null) {
                    // shard i+1 has ended: this round is the last, so shards i+2.. end now as well, and
                    // shards 1..i (which gave a device this round) have no further one
                    for (int j = 0; j < n; j++) {
                        if (j != i && inputs.get(j).hasDevice()) {
                            throw sizes(in, inputs.get(j));
                        }
                    }
                    more = false;
                    break;
                }
                if (files != null) {
                    files.add(i, in.directory, where, listed);
                }
                devices++;
            }
        }
        for (Input in : inputs) {
            if (in.deviceCount == 0) {
                throw new DpsException(FIELD, in.source + " (shard " + in.shard + ") lists no device");
            }
            in.end();
        }
        g.writeEndArray();
        g.writeEndObject();
        return new Result(devices, n);
    }

    private static DpsException sizes(Input ended, Input longer) {
        return new DpsException(FIELD, "shard " + ended.shard + " (" + ended.source + ") ends after "
                + ended.deviceCount + " device" + (ended.deviceCount == 1 ? "" : "s") + " while shard "
                + longer.shard + " (" + longer.source + ") lists more; the shards of one fleet differ by at most"
                + " one device, the first ones larger: is a manifest truncated, or from another fleet or run?");
    }

    /** One shard's manifest, read up to its devices list, then one device at a time. */
    private static final class Input implements AutoCloseable {
        final String source;
        /** The directory of the shard's outputs (its manifest's). */
        final Path directory;
        final JsonParser parser;
        final Map<String, String> header = new LinkedHashMap<>();
        Shard shard;
        long deviceCount;
        /** The token after the last device read: START_OBJECT of the next device, or END_ARRAY. */
        JsonToken next;

        private Input(String source, Path directory, JsonParser parser) {
            this.source = source;
            this.directory = directory;
            this.parser = parser;
        }

        static Input open(Path p) throws IOException {
            if (Files.isDirectory(p)) {
                p = p.resolve(ManifestWriter.FILE_NAME);
            }
            Reader reader;
            try {
                reader = new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            } catch (NoSuchFileException e) {
                throw new DpsException(FIELD, p + " does not exist; expected a dps-manifest.json written by generate"
                        + " with dps.shard=i/n");
            }
            Input in = new Input(p.toString(), p.toAbsolutePath().normalize().getParent(), JsonIo.parser(reader));
            try {
                in.readHeader();
            } catch (IOException e) {
                in.close();
                throw in.failure(e);
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
            return in;
        }

        private void readHeader() throws IOException {
            JsonToken root = parser.nextToken();
            if (root != JsonToken.START_OBJECT) {
                throw new DpsException(FIELD, source + " is not a dps-manifest.json (no JSON object)");
            }
            while (true) {
                JsonToken t = parser.nextToken();
                if (t != JsonToken.FIELD_NAME) {
                    throw new DpsException(FIELD, source + " has no \"devices\" list; is it a dps-manifest.json?");
                }
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("devices")) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new DpsException(FIELD, source + ": \"devices\" is not a list");
                    }
                    break;
                }
                if (name.equals("shard")) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new DpsException(FIELD, source + ": \"shard\" is not a string");
                    }
                    try {
                        shard = Shard.parse(parser.getText());
                    } catch (DpsException e) {
                        throw new DpsException(FIELD, source + ": " + e.getMessage());
                    }
                    continue;
                }
                if (name.equals("format") && !(value.isNumeric() && parser.getDoubleValue() == ManifestWriter.FORMAT)) {
                    throw new DpsException(FIELD, source + " has format " + parser.getText()
                            + "; this plugin merges manifest format " + ManifestWriter.FORMAT);
                }
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                try (JsonGenerator copy = JsonIo.generator(text)) {
                    copy.copyCurrentStructure(parser);
                }
                header.put(name, text.toString(StandardCharsets.UTF_8));
            }
            if (!header.containsKey("format")) {
                throw new DpsException(FIELD, source + " has no \"format\"; is it a dps-manifest.json?");
            }
            if (shard == null) {
                throw new DpsException(FIELD, source + " is not a shard's manifest (no \"shard\" field): it already"
                        + " covers the whole fleet; merge the manifests of a run with dps.shard=i/n");
            }
            next = parser.nextToken();
        }

        /** Whether the shard is a rollout's (its manifest names the previous firmware). */
        boolean rollout() {
            return header.containsKey("previousFirmware");
        }

        boolean hasDevice() {
            return next == JsonToken.START_OBJECT;
        }

        /** Copies the next device to {@code g} and returns what it lists; null at the end of the list. */
        MergedOutputs.Listed copyDevice(JsonGenerator g, Set<String> ids) throws IOException {
            try {
                return copy(g, ids);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /** Malformed JSON or unreadable input, as a DpsException naming this file. */
        DpsException failure(IOException e) {
            if (e instanceof JsonProcessingException j) {
                JsonLocation at = j.getLocation() == null ? JsonLocation.NA : j.getLocation();
                return new DpsException(FIELD, source + " is not valid JSON (line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + "): " + j.getOriginalMessage());
            }
            if (e instanceof CharacterCodingException) {
                return new DpsException(FIELD, source + " is not UTF-8 text");
            }
            return new DpsException(FIELD, "cannot read " + source + ": " + e.getMessage(), e);
        }

        private MergedOutputs.Listed copy(JsonGenerator g, Set<String> ids) throws IOException {
            if (next == JsonToken.END_ARRAY) {
                return null;
            }
            String where = source + ": devices[" + deviceCount + "]";
            if (next != JsonToken.START_OBJECT) {
                throw new DpsException(FIELD, where + " is not an object");
            }
            Map<String, String> listed = new HashMap<>();
            g.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (listed(name) && value == JsonToken.VALUE_STRING) {
                    listed.put(name, parser.getText());
                }
                g.writeFieldName(name);
                g.copyCurrentStructure(parser);
            }
            g.writeEndObject();
            String id = listed.get("registrationId");
            if (id == null) {
                throw new DpsException(FIELD, where + " has no \"registrationId\" string");
            }
            MergedOutputs.Listed d = new MergedOutputs.Listed(id, listed.get("aliasCertificate"),
                    listed.get("deviceIdCertificate"), listed.get("previousRegistrationId"),
                    listed.get("previousAliasCertificate"), rollout(), listed.get("aliasThumbprintSha256"),
                    listed.get("deviceIdThumbprintSha256"), listed.get("previousAliasThumbprintSha256"));
            // what generate would refuse is refused here: the merged manifest drives file names, scripts and deletions
            MergedOutputs.check(d, where);
            if (!ids.add(id)) {
                throw new DpsException(FIELD, where + ": registration ID '" + id + "' is listed twice among the"
                        + " shards; the shards overlap (shards of different fleets or splits?)");
            }
            deviceCount++;
            next = parser.nextToken();
            return d;
        }

        /** After the devices list: the document must end. */
        void end() {
            try {
                if (next == JsonToken.END_ARRAY) {
                    next = parser.nextToken();
                    if (next == JsonToken.FIELD_NAME) {
                        throw new DpsException(FIELD, source + " has \"" + parser.currentName() + "\" after its"
                                + " devices list, which this plugin cannot merge");
                    }
                    if (next == JsonToken.END_OBJECT && parser.nextToken() == null) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw failure(e);
            }
            throw new DpsException(FIELD, source + " has unexpected content after its devices list");
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                // nothing was written through it
            }
        }
    }
}
