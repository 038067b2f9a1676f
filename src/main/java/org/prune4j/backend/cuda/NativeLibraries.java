package org.prune4j.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a shared library by soname, first through the dynamic loader's own search and then in
 * the CUDA toolkit's usual folders, and reports where it was found or why not.
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
                ? "not found by the dynamic loader or in CUDA_HOME, /usr/local/cuda"
                : String.join("; ", tried));
    }

    private static List<String> candidates(String soname) {
        List<String> c = new ArrayList<>();
        c.add(soname);
        String home = System.getenv("CUDA_HOME");
        for (String root : new String[] {home, "/usr/local/cuda", "/usr/local/nvidia"}) {
            if (root != null) {
                c.add(root + "/lib64/" + soname);
                c.add(root + "/lib/" + soname);
                c.add(root + "/targets/x86_64-linux/lib/" + soname);
            }
        }
        c.add("/usr/lib/x86_64-linux-gnu/" + soname);
        return c;
    }
}
