package org.prune4j.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a shared library by soname, first through the dynamic loader's own search, then in the
 * folders of {@code PRUNE4J_LIBRARY_PATH} (colon-separated), the CUDA toolkit's usual folders and
 * NVIDIA's Python wheels ({@code site-packages/nvidia/<lib>/lib}, where machines with PyTorch
 * keep cuSPARSELt), and reports where it was found or why not.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /** Where a library was found, or why it was not. */
    public record Found(String soname, boolean loaded, String detail) {
    }

    public static Found find(String soname) {
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates(soname)) {
            if (candidate.startsWith("/") && !Files.exists(Path.of(candidate))) {
                continue;
            }
            try {
                SymbolLookup.libraryLookup(candidate, Arena.global());
                return new Found(soname, true, candidate);
            } catch (IllegalArgumentException e) {
                tried.add(e.getMessage());
            }
        }
        return new Found(soname, false, tried.isEmpty()
                ? "not found by the dynamic loader, in PRUNE4J_LIBRARY_PATH, CUDA_HOME, /usr/local/cuda or NVIDIA's"
                        + " Python wheels; set PRUNE4J_LIBRARY_PATH to the folder that holds it"
                : String.join("; ", tried));
    }

    private static List<String> candidates(String soname) {
        List<String> c = new ArrayList<>();
        c.add(soname);
        String extra = System.getenv("PRUNE4J_LIBRARY_PATH");
        if (extra != null) {
            for (String dir : extra.split(":")) {
                if (!dir.isBlank()) {
                    c.add(dir + "/" + soname);
                }
            }
        }
        String home = System.getenv("CUDA_HOME");
        for (String root : new String[] {home, "/usr/local/cuda", "/usr/local/nvidia"}) {
            if (root != null) {
                c.add(root + "/lib64/" + soname);
                c.add(root + "/lib/" + soname);
                c.add(root + "/targets/x86_64-linux/lib/" + soname);
            }
        }
        c.add("/usr/lib/x86_64-linux-gnu/" + soname);
        for (Path lib : WheelFolders.FOUND) {
            c.add(lib.resolve(soname).toString());
        }
        return c;
    }

    /** Where pip puts NVIDIA's wheels: {@code <site-packages>/nvidia/<name>/lib}. */
    private static final String[] WHEEL_FOLDERS = {
        "/opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib",
        "/opt/*/lib/python3*/site-packages/nvidia/*/lib",
        "/usr/local/lib/python3*/dist-packages/nvidia/*/lib",
        "/usr/local/lib/python3*/site-packages/nvidia/*/lib",
        "/usr/lib/python3/dist-packages/nvidia/*/lib",
    };

    /** Looked up once per process, on first use: the folders do not change while it runs. */
    private static final class WheelFolders {
        static final List<Path> FOUND = List.copyOf(wheelLibraryFolders());
    }

    private static List<Path> wheelLibraryFolders() {
        List<String> patterns = new ArrayList<>(List.of(WHEEL_FOLDERS));
        String venv = System.getenv("VIRTUAL_ENV");
        if (venv != null) {
            patterns.add(venv + "/lib/python3*/site-packages/nvidia/*/lib");
        }
        patterns.add(System.getProperty("user.home") + "/.local/lib/python3*/site-packages/nvidia/*/lib");
        List<Path> found = new ArrayList<>();
        for (String pattern : patterns) {
            expand(Path.of("/"), pattern.substring(1).split("/"), 0, found);
        }
        return found;
    }

    /** Expands a path whose segments may hold {@code *}, one directory level at a time. */
    private static void expand(Path at, String[] segments, int i, List<Path> out) {
        if (i == segments.length) {
            out.add(at);
            return;
        }
        if (!segments[i].contains("*")) {
            Path next = at.resolve(segments[i]);
            if (Files.isDirectory(next)) {
                expand(next, segments, i + 1, out);
            }
            return;
        }
        try (var dir = Files.newDirectoryStream(at, segments[i])) {
            for (Path p : dir) {
                if (Files.isDirectory(p)) {
                    expand(p, segments, i + 1, out);
                }
            }
        } catch (java.io.IOException | java.nio.file.DirectoryIteratorException e) {
            // an unreadable folder only means one place fewer to look
        }
    }
}
