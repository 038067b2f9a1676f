package org.prune4j.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * Models to safetensors and .npz and back: bit-identical values, masks and layer formats; the
 * files read by NumPy (Debian's python3-numpy) as the same arrays; and every kind of damage
 * turned into an error that names the file and the problem.
 */
class ModelFilesTest {
    @TempDir
    Path dir;

    private static Model pruned(String arch, int c, int h, int w) {
        Model m = Models.create(arch, c, h, w, 10, new Rng(3));
        Rng r = new Rng(4);
        List<Parameter> ws = m.prunable();
        for (int i = 0; i < ws.size() - 1; i++) {
            int[] s = ws.get(i).shape();
            ws.get(i).setMask(Mask.random(s[0], s[1], 0.3 + 0.2 * i, r));
        }
        m.weightedLayers().get(0).useSparseKernel(true);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.safetensors", "model.npz"})
    void aModelComesBackBitForBit(String name) {
        for (Model m : List.of(pruned("lenet300", 1, 28, 28), pruned("conv2", 3, 8, 8))) {
            Path f = dir.resolve(m.name() + "-" + name);
            ModelFiles.write(m, f);
            Model back = ModelFiles.read(f);
            assertEquals(m.name(), back.name());
            for (Parameter p : m.parameters()) {
                Parameter q = back.parameter(p.name());
                assertArrayEquals(p.value().data(), q.value().data(), p.name());
                assertEquals(p.mask(), q.mask(), p.name() + " mask");
            }
            for (int i = 0; i < m.weightedLayers().size(); i++) {
                assertEquals(m.weightedLayers().get(i).sparseKernel(), back.weightedLayers().get(i).sparseKernel(),
                        "format of layer " + i);
            }
        }
    }

    @Test
    void numpyReadsTheSameArraysFromBothFiles() throws Exception {
        assumeTrue(python(), "no /usr/bin/python3 with numpy (apt-get install python3-numpy); the NumPy check is "
                + "skipped");
        Model m = pruned("lenet300", 1, 28, 28);
        Path st = dir.resolve("m.safetensors"), npz = dir.resolve("m.npz");
        ModelFiles.write(m, st);
        ModelFiles.write(m, npz);
        String script = String.join("\n",
                "import json, struct, sys, numpy as np",
                "z = np.load(sys.argv[2])",
                "raw = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', raw[:8])[0]",
                "head = json.loads(raw[8:8 + n])",
                "out = {}",
                "for k, v in head.items():",
                "    if k == '__metadata__': continue",
                "    a = np.frombuffer(raw[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]],",
                "                      dtype={'F32': '<f4', 'I32': '<i4', 'U8': 'u1'}[v['dtype']]).reshape(v['shape'])",
                "    b = z[k]",
                "    assert a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b), k",
                "    out[k] = [list(a.shape), float(a.astype(np.float64).sum()), float((a.astype(np.float64) ** 2).sum())]",
                "meta = json.loads(bytes(z['__metadata__']).decode())",
                "assert meta == head['__metadata__'], 'metadata differs'",
                "out['__layers__'] = json.loads(meta['layers'])",
                "print(json.dumps(out))");
        Path py = dir.resolve("check.py");
        Files.writeString(py, script);
        Process p = new ProcessBuilder("/usr/bin/python3", py.toString(), st.toString(), npz.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        JsonNode got = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
        for (Parameter q : m.parameters()) {
            float[] v = q.value().data();
            double sum = 0, sq = 0;
            for (float x : v) {
                sum += x;
                sq += (double) x * x;
            }
            JsonNode e = got.get(q.name());
            assertEquals(sum, e.get(1).asDouble(), 1e-9 * (1 + Math.abs(sum)), q.name());
            assertEquals(sq, e.get(2).asDouble(), 1e-9 * (1 + sq), q.name());
            if (q.mask() != null) {
                assertEquals(q.mask().keptCount(), got.get(q.name() + ".mask").get(1).asDouble(), q.name() + ".mask");
            }
        }
        assertEquals("csr", got.get("__layers__").get(0).get("format").asText());
        assertTrue(got.has("fc1.weight.csr.col_idx"), "the sparse layer's CSR parts are in the files");
    }

    private static boolean python() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private ModelFileException reading(Path f) {
        return assertThrows(ModelFileException.class, () -> ModelFiles.read(f));
    }

    @Test
    void damagedTruncatedNewerOrMismatchedFilesAreNamedErrors() throws IOException {
        Model m = pruned("lenet300", 1, 28, 28);
        Path good = dir.resolve("good.safetensors");
        ModelFiles.write(m, good);
        byte[] bytes = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        ModelFileException e = reading(cut);
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path flipped = dir.resolve("flipped.safetensors");
        byte[] b = bytes.clone();
        b[b.length - 3] ^= 0x40;
        Files.write(flipped, b);
        assertTrue(reading(flipped).getMessage().contains("checksum mismatch"));

        Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        assertTrue(reading(empty).getMessage().contains("too short"));

        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "not a zip at all");
        assertTrue(reading(garbage).getMessage().contains("not a readable .npz"));

        ArrayFile f = ModelFiles.encode(m);
        Map<String, String> meta = new HashMap<>(f.metadata());
        meta.put("version", "2");
        Path newer = dir.resolve("newer.safetensors");
        SafeTensors.write(newer, new ArrayFile(f.arrays(), meta));
        assertTrue(reading(newer).getMessage().contains("newer Prune4J"));

        meta = new HashMap<>(f.metadata());
        meta.put("input", "1x32x32");
        Path shapes = dir.resolve("shapes.npz");
        Npz.write(shapes, new ArrayFile(f.arrays(), meta));
        e = reading(shapes);
        assertTrue(e.getMessage().contains("fc1.weight is F32 [300, 784] but the architecture needs F32 [300, 1024]"),
                e.getMessage());

        List<NamedArray> extra = new ArrayList<>(f.arrays());
        extra.add(NamedArray.of("fc9.weight", new float[] {1f}, 1));
        meta = new HashMap<>(f.metadata());
        meta.put("sha256", ModelFiles.checksum(extra));
        Path unknown = dir.resolve("unknown.safetensors");
        SafeTensors.write(unknown, new ArrayFile(extra, meta));
        assertTrue(reading(unknown).getMessage().contains("unexpected array 'fc9.weight'"));

        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, new ArrayFile(List.of(NamedArray.of("x", new float[] {1f}, 1)), Map.of()));
        assertTrue(reading(other).getMessage().contains("no Prune4J model metadata"));

        assertThrows(IllegalArgumentException.class, () -> ModelFiles.write(m, dir.resolve("model.bin")));
    }

    /** A .npz holding one .npy entry whose header declares {@code shape}, followed by eight data bytes. */
    private Path npzWithShape(String fileName, String shape) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        java.io.ByteArrayOutputStream npy = new java.io.ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        npy.write(new byte[8]);
        Path f = dir.resolve(fileName);
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("w.npy"));
            zip.write(npy.toByteArray());
            zip.closeEntry();
        }
        return f;
    }

    @Test
    void shapesNoArrayCanHaveAreNamedErrors() throws IOException {
        // a fuzzer found the negative one; the overflowing product would wrap to a small or negative size
        Path negative = npzWithShape("negative.npz", "(-6,)");
        ModelFileException e = assertThrows(ModelFileException.class, () -> Npz.read(negative));
        assertTrue(e.getMessage().contains("w: negative dimension"), e.getMessage());

        Path huge = npzWithShape("huge.npz", "(2147483647, 2147483647, 2147483647)");
        e = assertThrows(ModelFileException.class, () -> Npz.read(huge));
        assertTrue(e.getMessage().contains("more than 2^63 elements"), e.getMessage());

        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,8]}}";
        java.nio.ByteBuffer st = java.nio.ByteBuffer.allocate(8 + json.length() + 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        st.putLong(json.length()).put(json.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path hugeSt = dir.resolve("huge.safetensors");
        Files.write(hugeSt, st.array());
        e = assertThrows(ModelFileException.class, () -> SafeTensors.read(hugeSt));
        assertTrue(e.getMessage().contains("more than 2^63 elements"), e.getMessage());
    }
}
