package org.prune4j.train;

import org.prune4j.backend.Backend;
import org.prune4j.data.Augmentation;
import org.prune4j.data.Dataset;
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.nn.Workspace;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The data boundary of a training or evaluation loop: gathers a batch of images and labels in
 * host memory and copies it once into buffers in the backend's memory (reused every step).
 * These two copies are the only host-to-device traffic of a step.
 */
final class DeviceBatch {
    private final Backend backend;
    private final Workspace workspace;
    private final Object owner;
    private Tensor images;
    private Tensor labels;

    /** {@code owner} names the buffers in the workspace, so every loop of that owner reuses them. */
    DeviceBatch(Backend backend, Workspace workspace, Object owner) {
        this.backend = backend;
        this.workspace = workspace;
        this.owner = owner;
    }

    /** Loads {@code indices[from..to)} of {@code data}; returns the images, n x C x H x W, in the backend's memory. */
    Tensor load(Dataset data, int[] indices, int from, int to) {
        return load(data, indices, from, to, null, null);
    }

    /** As above, with the training images changed by {@code augmentation} (drawing from {@code rng}) on the host. */
    Tensor load(Dataset data, int[] indices, int from, int to, Augmentation augmentation, Rng rng) {
        Tensor hostImages = data.images(indices, from, to);
        if (augmentation != null) {
            augmentation.apply(hostImages, rng);
        }
        Tensor hostLabels = SoftmaxCrossEntropy.labelTensor(data.labels(indices, from, to));
        images = workspace.get(owner, "images", hostImages.shape());
        labels = workspace.get(owner, "labels", hostLabels.shape());
        backend.copy(hostImages, images);
        backend.copy(hostLabels, labels);
        return images;
    }

    Tensor labels() {
        return labels;
    }
}
