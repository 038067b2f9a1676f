package org.prune4j.exchange;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prune4j.nn.Layer;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * A model to a file and back, as safetensors ({@code .safetensors}) or NumPy ({@code .npz}), or
 * out to ONNX ({@code .onnx}, {@link OnnxExport}) for inference elsewhere.
 * Every parameter is stored dense under its own name ({@code fc1.weight}, ...); a masked
 * weight adds {@code <name>.mask} (0/1 bytes), and one that trains on the sparse kernels adds
 * its CSR parts ({@code <name>.csr.row_ptr}, {@code .csr.col_idx}, {@code .csr.values}). The
 * metadata names the architecture, input shape and classes (so the model can be rebuilt),
 * each weight's format and density, the format version, and a SHA-256 of every array.
 */
public final class ModelFiles {
    public static final String FORMAT = "prune4j-model";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file formats, told apart by extension; ONNX is written for inference elsewhere and not read back. */
    public enum Format {
        SAFETENSORS, NPZ, ONNX;

        public static Format of(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".safetensors")) {
                return SAFETENSORS;
            }
            if (n.endsWith(".npz")) {
                return NPZ;
            }
            if (n.endsWith(".onnx")) {
                return ONNX;
            }
            throw new IllegalArgumentException(file + ": name it .safetensors, .npz or .onnx to choose the format");
        }
    }

    /** One weight's entry in the metadata. */
    public record LayerInfo(String weight, String format, double density) {
    }

    private ModelFiles() {
    }

    public static void write(Model model, Path file) {
        switch (Format.of(file)) {
            case SAFETENSORS -> SafeTensors.write(file, encode(model));
            case NPZ -> Npz.write(file, encode(model));
            case ONNX -> OnnxExport.write(model, file);
        }
    }

    /** Reads a file written by {@link #write}: the same architecture, values, masks and per-layer formats. */
    public static Model read(Path file) {
        ArrayFile f = switch (Format.of(file)) {
            case SAFETENSORS -> SafeTensors.read(file);
            case NPZ -> Npz.read(file);
            case ONNX -> throw new ModelFileException(file, "ONNX files are written for inference in other runtimes; "
                    + "Prune4J reads its models back from .safetensors or .npz");
        };
        return decode(f, file);
    }

    /** The layers' metadata of a file, for reports. */
    public static List<LayerInfo> layers(ArrayFile f, Path file) {
        try {
            return JSON.readValue(f.metadata().getOrDefault("layers", "[]"), new TypeReference<List<LayerInfo>>() { });
        } catch (IOException e) {
            throw new ModelFileException(file, "the 'layers' metadata is not a JSON list of layers", e);
        }
    }

    static ArrayFile encode(Model model) {
        List<NamedArray> arrays = new ArrayList<>();
        List<LayerInfo> layers = new ArrayList<>();
        Map<Parameter, WeightedLayer> owner = new LinkedHashMap<>();
        model.weightedLayers().forEach(l -> owner.put(l.weight(), l));
        for (Parameter p : model.parameters()) {
            arrays.add(NamedArray.of(p.name(), p.value().data(), p.shape()));
            Mask m = p.mask();
            if (m != null) {
                boolean[] k = m.toArray();
                byte[] b = new byte[k.length];
                for (int i = 0; i < k.length; i++) {
                    b[i] = (byte) (k[i] ? 1 : 0);
                }
                arrays.add(NamedArray.of(p.name() + ".mask", b, p.shape()));
            }
            WeightedLayer l = owner.get(p);
            if (l != null) {
                String format = m == null ? "dense" : l.sparseKernel() ? "csr" : "masked-dense";
                if (format.equals("csr")) {
                    CsrMatrix csr = CsrMatrix.fromDense(p.value(), m);
                    arrays.add(NamedArray.of(p.name() + ".csr.row_ptr", csr.rowPtr(), csr.rows() + 1));
                    arrays.add(NamedArray.of(p.name() + ".csr.col_idx", csr.colIdx(), csr.nnz()));
                    arrays.add(NamedArray.of(p.name() + ".csr.values", csr.values(), csr.nnz()));
                }
                layers.add(new LayerInfo(p.name(), format, p.density()));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", Integer.toString(VERSION));
        meta.put("architecture", model.name());
        meta.put("input", shapeText(model.inputShape()));
        meta.put("classes", Integer.toString(classes(model)));
        try {
            meta.put("layers", JSON.writeValueAsString(layers));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        meta.put("sha256", checksum(arrays));
        return new ArrayFile(arrays, meta);
    }

    static Model decode(ArrayFile f, Path file) {
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFileException(file, "no Prune4J model metadata (format '" + meta.get("format")
                    + "'); it was not written by 'prune4j export' or ModelFiles.write");
        }
        int version;
        try {
            version = Integer.parseInt(meta.getOrDefault("version", "?"));
        } catch (NumberFormatException e) {
            throw new ModelFileException(file, "format version '" + meta.get("version") + "' is not a number");
        }
        if (version > VERSION) {
            throw new ModelFileException(file, "written by a newer Prune4J (model format version " + version
                    + "); this one reads version " + VERSION + ": upgrade Prune4J to read it");
        }
        String want = meta.get("sha256");
        if (want == null) {
            throw new ModelFileException(file, "the metadata has no sha256 checksum");
        }
        if (!want.equals(checksum(f.arrays()))) {
            throw new ModelFileException(file, "checksum mismatch: the arrays were changed or damaged after the file"
                    + " was written");
        }
        String arch = meta.get("architecture");
        if (!Models.NAMES.contains(arch)) {
            throw new ModelFileException(file, "architecture '" + arch + "' is not one Prune4J builds "
                    + Models.NAMES);
        }
        int[] in = parseShape(file, meta.get("input"));
        int classes;
        try {
            classes = Integer.parseInt(meta.get("classes"));
        } catch (NumberFormatException e) {
            throw new ModelFileException(file, "classes '" + meta.get("classes") + "' is not a number");
        }
        Model model;
        try {
            model = Models.create(arch, in[0], in[1], in[2], classes, new Rng(0));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "cannot build " + arch + " for input " + meta.get("input") + ": "
                    + e.getMessage(), e);
        }
        List<String> expected = new ArrayList<>();
        Map<String, LayerInfo> formats = new LinkedHashMap<>();
        layers(f, file).forEach(l -> formats.put(l.weight(), l));
        for (Parameter p : model.parameters()) {
            load(f, file, p, expected, formats.get(p.name()));
        }
        for (NamedArray a : f.arrays()) {
            if (!expected.contains(a.name())) {
                throw new ModelFileException(file, "unexpected array '" + a.name() + "': a " + arch + " has no such "
                        + "tensor");
            }
        }
        for (WeightedLayer l : model.weightedLayers()) {
            LayerInfo info = formats.get(l.weight().name());
            l.useSparseKernel(info != null && info.format().equals("csr"));
        }
        return model;
    }

    private static void load(ArrayFile f, Path file, Parameter p, List<String> expected, LayerInfo info) {
        NamedArray v = require(f, file, p.name(), NamedArray.DType.F32, p.shape());
        expected.add(p.name());
        float[] values = v.floats();
        NamedArray maskArray = f.array(p.name() + ".mask");
        Mask mask = null;
        if (maskArray != null) {
            require(f, file, p.name() + ".mask", NamedArray.DType.U8, p.shape());
            expected.add(maskArray.name());
            byte[] b = maskArray.u8();
            boolean[] k = new boolean[b.length];
            for (int i = 0; i < b.length; i++) {
                if (b[i] != 0 && b[i] != 1) {
                    throw new ModelFileException(file, p.name() + ".mask holds " + b[i] + " at " + i
                            + "; a mask is 0 (pruned) or 1 (kept)");
                }
                k[i] = b[i] == 1;
                if (!k[i] && values[i] != 0f) {
                    throw new ModelFileException(file, p.name() + "[" + i + "] is " + values[i]
                            + " where the mask prunes it; pruned weights are zero");
                }
            }
            mask = Mask.of(p.shape()[0], p.shape()[1], k);
        }
        if (info != null && info.format().equals("csr")) {
            if (mask == null) {
                throw new ModelFileException(file, p.name() + " is marked csr but has no mask");
            }
            CsrMatrix csr = CsrMatrix.fromDense(org.prune4j.tensor.Tensor.wrap(values.clone(), p.shape()), mask);
            checkPart(f, file, p.name() + ".csr.row_ptr", csr.rowPtr(), expected);
            checkPart(f, file, p.name() + ".csr.col_idx", csr.colIdx(), expected);
            NamedArray vals = require(f, file, p.name() + ".csr.values", NamedArray.DType.F32, new int[] {csr.nnz()});
            expected.add(vals.name());
            if (!Arrays.equals(vals.floats(), csr.values())) {
                throw new ModelFileException(file, p.name() + ".csr.values disagree with the dense weight at its mask");
            }
        }
        p.value().copyFromHost(values);
        p.setMask(mask);
    }

    private static void checkPart(ArrayFile f, Path file, String name, int[] want, List<String> expected) {
        NamedArray a = require(f, file, name, NamedArray.DType.I32, new int[] {want.length});
        expected.add(name);
        if (!Arrays.equals(a.ints(), want)) {
            throw new ModelFileException(file, name + " disagrees with the weight's mask");
        }
    }

    private static NamedArray require(ArrayFile f, Path file, String name, NamedArray.DType dtype, int[] shape) {
        NamedArray a = f.array(name);
        if (a == null) {
            throw new ModelFileException(file, "array '" + name + "' is missing");
        }
        if (a.dtype() != dtype || !Arrays.equals(a.shape(), shape)) {
            throw new ModelFileException(file, name + " is " + a.dtype() + " " + Arrays.toString(a.shape())
                    + " but the architecture needs " + dtype + " " + Arrays.toString(shape));
        }
        return a;
    }

    /** SHA-256 over every array in name order: its name, dtype, shape and bytes. */
    static String checksum(List<NamedArray> arrays) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (NamedArray a : arrays.stream().sorted(Comparator.comparing(NamedArray::name)).toList()) {
                md.update((a.name() + "|" + a.dtype() + "|" + Arrays.toString(a.shape()) + "|")
                        .getBytes(StandardCharsets.UTF_8));
                md.update(a.bytes());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int classes(Model m) {
        int[] s = m.inputShape();
        for (Layer l : m.layers()) {
            s = l.outputShape(s);
        }
        return s[0];
    }

    private static String shapeText(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : "x").append(s[i]);
        }
        return b.toString();
    }

    private static int[] parseShape(Path file, String text) {
        try {
            int[] s = Arrays.stream(text.split("x")).mapToInt(Integer::parseInt).toArray();
            if (s.length == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0) {
                return s;
            }
        } catch (NullPointerException | NumberFormatException e) {
            // reported below
        }
        throw new ModelFileException(file, "input shape '" + text + "' is not CxHxW");
    }
}
