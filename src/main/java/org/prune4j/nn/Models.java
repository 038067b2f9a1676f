package org.prune4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.tensor.Rng;

/**
 * The models of the pruning literature, built for any C x H x W input: LeNet-300-100 and the
 * Conv-2/4/6 networks as Frankle & Carbin define them (3x3 convolutions, "same" padding, 2x2
 * max-pooling after each pair, then 256-256-classes fully connected), LeNet-5 (LeCun et al.
 * 1998), an MLP with BatchNorm for BatchNorm-only experiments, the CIFAR-10 networks of the
 * later lottery-ticket papers, ResNet-20, ResNet-56 and VGG-16 ({@link CifarNetworks}), and the
 * sparse networks of Ahmad and Scheinkman 2019 ("How can we be so dense?") with their dense
 * counterparts: k-winners activations and a fixed random weight mask drawn at creation
 * ({@link SparseNetworks}).
 */
public final class Models {
    public static final List<String> NAMES = List.of("lenet300", "lenet5", "conv2", "conv4", "conv6", "mlp-bn",
            "resnet20", "resnet56", "vgg16", "dense-mlp", "kwta-mlp", "dense-cnn", "kwta-cnn");

    /** One line per model for --help. */
    public static final String HELP = "lenet300, lenet5, conv2, conv4, conv6 (Frankle & Carbin 2019), mlp-bn "
            + "(LeNet-300-100 with BatchNorm), resnet20, resnet56 (He et al. 2016, CIFAR form), vgg16 (CIFAR form with "
            + "BatchNorm), or after Ahmad and Scheinkman 2019 (\"How can we be so dense?\"): kwta-mlp (1000 k-winners "
            + "units, 100 win, 30%% of the weights into them), kwta-cnn (their Sparse CNN-2: 32 and 64 5x5 filters and "
            + "700 units, all k-winners) and their ReLU counterparts dense-mlp and dense-cnn (their Dense CNN-2).";

    private Models() {
    }

    public static Model create(String name, int channels, int height, int width, int classes, Rng rng) {
        int[] in = {channels, height, width};
        List<Layer> l = new ArrayList<>();
        Initialiser init = Initialiser.GLOROT_NORMAL;
        switch (name) {
            case "resnet20", "resnet56" -> {
                l.addAll(CifarNetworks.resnet(Integer.parseInt(name.substring(6)), channels, classes));
                init = Initialiser.KAIMING_NORMAL;
            }
            case "vgg16" -> {
                l.addAll(CifarNetworks.vgg16(channels, height, width, classes));
                init = Initialiser.KAIMING_NORMAL;
            }
            case "lenet300" -> {
                l.add(new Flatten());
                dense(l, "fc1", channels * height * width, 300);
                dense(l, "fc2", 300, 100);
                l.add(new Linear("fc3", 100, classes));
            }
            case "mlp-bn" -> {
                l.add(new Flatten());
                l.add(new Linear("fc1", channels * height * width, 300));
                l.add(new BatchNorm("bn1", 300));
                l.add(new ReLU());
                l.add(new Linear("fc2", 300, 100));
                l.add(new BatchNorm("bn2", 100));
                l.add(new ReLU());
                l.add(new Linear("fc3", 100, classes));
            }
            case "lenet5" -> {
                l.add(new Conv2d("conv1", channels, 6, 5, 2));
                l.add(new ReLU());
                l.add(new MaxPool2d(2));
                l.add(new Conv2d("conv2", 6, 16, 5, 0));
                l.add(new ReLU());
                l.add(new MaxPool2d(2));
                l.add(new Flatten());
                int h = ((height / 2) - 4) / 2, w = ((width / 2) - 4) / 2;
                dense(l, "fc1", 16 * h * w, 120);
                dense(l, "fc2", 120, 84);
                l.add(new Linear("fc3", 84, classes));
            }
            case "conv2", "conv4", "conv6" -> {
                int pairs = name.charAt(4) - '0';
                pairs /= 2;
                int c = channels, h = height, w = width, conv = 0;
                for (int b = 0; b < pairs; b++) {
                    int width2 = 64 << b;
                    for (int j = 0; j < 2; j++) {
                        l.add(new Conv2d("conv" + (++conv), c, width2, 3, 1));
                        l.add(new ReLU());
                        c = width2;
                    }
                    l.add(new MaxPool2d(2));
                    h /= 2;
                    w /= 2;
                }
                l.add(new Flatten());
                dense(l, "fc1", c * h * w, 256);
                dense(l, "fc2", 256, 256);
                l.add(new Linear("fc3", 256, classes));
            }
            case "dense-mlp", "kwta-mlp", "dense-cnn", "kwta-cnn" -> {
                return SparseNetworks.create(name, channels, height, width, classes, rng);
            }
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; choose one of " + NAMES);
        }
        Model m = new Model(name, in, l, init);
        m.initialise(rng);
        return m;
    }

    private static void dense(List<Layer> l, String name, int in, int out) {
        l.add(new Linear(name, in, out));
        l.add(new ReLU());
    }
}
