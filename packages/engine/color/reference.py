#!/usr/bin/python3
"""
What OpenColorIO itself makes of known patches, for the colour test to compare the engine with.

    /usr/bin/python3 reference.py <camera id> [slope_r,g,b offset_r,g,b power_r,g,b saturation]

Prints JSON: {"names": [...], "input": [[r, g, b], ...], "output": [[r, g, b], ...]} where input
is each patch in the camera's log encoding (full-range code values 0..1) and output what OCIO's
processor gives for camera -> ACES2065-1 [-> ACEScct, ASC CDL, back] -> ACES 1.0 SDR Video Rec.709.
Patches: 18% grey, a grey ramp from -5 to +5 stops, and the 24 ColorChecker patches (sRGB values,
linearized, taken as scene-linear Rec.709 at 0 EV).
"""
import json
import sys

import numpy as np
import PyOpenColorIO as ocio

from bake_luts import CAMERAS, build_config, to_display

COLORCHECKER = {
    "dark skin": (115, 82, 68), "light skin": (194, 150, 130), "blue sky": (98, 122, 157),
    "foliage": (87, 108, 67), "blue flower": (133, 128, 177), "bluish green": (103, 189, 170),
    "orange": (214, 126, 44), "purplish blue": (80, 91, 166), "moderate red": (193, 90, 99),
    "purple": (94, 60, 108), "yellow green": (157, 188, 64), "orange yellow": (224, 163, 46),
    "blue": (56, 61, 150), "green": (70, 148, 73), "red": (175, 54, 60), "yellow": (231, 199, 31),
    "magenta": (187, 86, 149), "cyan": (8, 133, 161), "white 9.5": (243, 243, 242),
    "neutral 8": (200, 200, 200), "neutral 6.5": (160, 160, 160), "neutral 5": (122, 122, 121),
    "neutral 3.5": (85, 85, 85), "black 2": (52, 52, 52),
}


def patches():
    names = ["18% grey"] + [f"grey {stops:+d} EV" for stops in range(-5, 6) if stops] + list(COLORCHECKER)
    grey = [0.18] + [0.18 * 2.0**stops for stops in range(-5, 6) if stops]
    srgb = np.array(list(COLORCHECKER.values())) / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    scene = np.concatenate([np.array([[g, g, g] for g in grey]), linear]).astype(np.float32)
    return names, scene


def main():
    camera = sys.argv[1]
    if camera not in CAMERAS:
        sys.exit(f"unknown camera encoding {camera!r}; known: {', '.join(CAMERAS)}")
    config = build_config()
    names, scene = patches()
    rec709_to_aces = ocio.GroupTransform([
        ocio.BuiltinTransform(style="UTILITY - ACES-AP1_to_LINEAR-REC709_BFD", direction=ocio.TRANSFORM_DIR_INVERSE),
        ocio.BuiltinTransform(style="ACEScg_to_ACES2065-1"),
    ])
    aces = scene.copy()
    config.getProcessor(rec709_to_aces).getDefaultCPUProcessor().applyRGB(aces)
    encoded = aces.copy()
    config.getProcessor("ACES2065-1", camera).getDefaultCPUProcessor().applyRGB(encoded)
    # What a camera can record: code values 0..1, quantized as a 16-bit file would hold them.
    encoded = np.round(np.clip(encoded, 0.0, 1.0) * 65535) / 65535
    encoded = encoded.astype(np.float32)
    output = encoded.copy()
    if len(sys.argv) > 2:
        slope, offset, power = ([float(v) for v in arg.split(",")] for arg in sys.argv[2:5])
        cdl = ocio.CDLTransform(slope=slope, offset=offset, power=power, sat=float(sys.argv[5]))
        config.getProcessor(camera, "ACEScct").getDefaultCPUProcessor().applyRGB(output)
        config.getProcessor(cdl).getDefaultCPUProcessor().applyRGB(output)
        to_display(config, "ACEScct").applyRGB(output)
    else:
        to_display(config, camera).applyRGB(output)
    json.dump({"names": names, "input": encoded.tolist(), "output": output.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
