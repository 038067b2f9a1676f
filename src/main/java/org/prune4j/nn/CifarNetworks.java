package org.prune4j.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 networks of the lottery-ticket papers at scale, as OpenLTH defines them (Frankle
 * et al. 2019, 2020): ResNet-20 and ResNet-56 (He et al. 2016: a 3x3 convolution of 16 filters,
 * three stages of (depth - 2) / 6 residual blocks of 16, 32 and 64 filters, the first block of
 * the later stages striding 2 with a 1x1 projection shortcut, global average pooling, one fully
 * connected layer; convolutions without bias before each BatchNorm), and VGG-16 for CIFAR
 * (Simonyan & Zisserman 2015, with BatchNorm after each 3x3 convolution, 2x2 max-pooling after
 * each group, global average pooling and one fully connected layer). Both initialise with He et
 * al.'s normal distribution, as OpenLTH does.
 */
final class CifarNetworks {
    /** Filters of VGG-16's thirteen convolutions; 0 marks a 2x2 max-pooling. */
    private static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512};

    private CifarNetworks() {
    }

    static List<Layer> resnet(int depth, int channels, int classes) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110), got " + depth);
        }
        int blocks = (depth - 2) / 6;
        List<Layer> l = new ArrayList<>();
        l.add(new Conv2d("conv1", channels, 16, 3, 1, 1, false));
        l.add(new BatchNorm("bn1", 16));
        l.add(new ReLU());
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            int width = 16 << stage;
            for (int b = 0; b < blocks; b++) {
                String name = "stage" + (stage + 1) + ".block" + (b + 1);
                int stride = stage > 0 && b == 0 ? 2 : 1;
                List<Layer> main = List.of(new Conv2d(name + ".conv1", in, width, 3, 1, stride, false),
                        new BatchNorm(name + ".bn1", width), new ReLU(),
                        new Conv2d(name + ".conv2", width, width, 3, 1, 1, false), new BatchNorm(name + ".bn2", width));
                List<Layer> shortcut = in == width && stride == 1 ? List.of()
                        : List.of(new Conv2d(name + ".shortcut.conv", in, width, 1, 0, stride, false),
                                new BatchNorm(name + ".shortcut.bn", width));
                l.add(new ResidualBlock(name, main, shortcut));
                in = width;
            }
        }
        l.add(new GlobalAvgPool());
        l.add(new Linear("fc", in, classes));
        return l;
    }

    static List<Layer> vgg16(int channels, int height, int width, int classes) {
        List<Layer> l = new ArrayList<>();
        int in = channels, h = height, w = width, conv = 0;
        for (int f : VGG16) {
            if (f == 0) {
                if (h < 2 || w < 2) {
                    throw new IllegalArgumentException("VGG-16 halves its input four times; " + height + "x" + width
                            + " images are too small (use 16x16 or larger, CIFAR's 32x32)");
                }
                l.add(new MaxPool2d(2));
                h /= 2;
                w /= 2;
                continue;
            }
            conv++;
            l.add(new Conv2d("conv" + conv, in, f, 3, 1));
            l.add(new BatchNorm("bn" + conv, f));
            l.add(new ReLU());
            in = f;
        }
        l.add(new GlobalAvgPool());
        l.add(new Linear("fc", in, classes));
        return l;
    }
}
