#!/usr/bin/python3
"""
Writes Rushes' OpenColorIO v2 config and bakes the 3D LUTs the engine applies with ffmpeg's lut3d.

Run with Debian's python3 and python3-pyopencolorio (OCIO 2.1):

    /usr/bin/python3 packages/engine/color/bake_luts.py

Outputs, next to this script, both committed so that runtime needs only ffmpeg:
  config.ocio                  colour spaces for every camera encoding, ACEScct, ACES2065-1 and
                               the display "Rec.1886 Rec.709" with the view "ACES 1.0 - SDR Video"
  luts/<id>.lut.gz             camera encoding -> ACES2065-1 -> ACEScct
  luts/acescct_to_rec709.lut.gz  ACEScct -> ACES 1.0 SDR Video, Rec.709 (BT.1886)

The engine applies two 3D LUTs in a row (camera -> ACEScct, an optional CDL look in ACEScct,
ACEScct -> display), each tetrahedral, on 16-bit RGB. Input domain 0..1 in the encoding's
full-range code values; no 1D shaper (ffmpeg 5.1's lut3d mis-applies combined files). Measured
against OCIO's own processor (packages/engine/test/color.int.test.ts): grey ramps within one
10-bit code value; saturated chart patches near the RRT's internal clamps differ more, the
reason two 65^3 LUTs are used rather than one, and the figure the test states.

Transforms OCIO 2.1 has built in are used as they are; ARRI LogC4 and Blackmagic Film Gen 5 are
written from their makers' published formulas (LogCameraTransform + gamut matrix, CAT02 to the
ACES white as ARRI and the ACES IDTs do).
"""
import gzip
import os
import sys

import numpy as np
import PyOpenColorIO as ocio

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = int(os.environ.get("LUT_SIZE", "65"))

# id -> (display name, OCIO built-in transform to ACES2065-1, or None when written here)
CAMERAS = {
    "arri_logc3_awg3": ("ARRI LogC3 (EI800) AWG3", "ARRI_ALEXA-LOGC-EI800-AWG_to_ACES2065-1"),
    "arri_logc4_awg4": ("ARRI LogC4 AWG4", None),
    "sony_slog3_sgamut3": ("Sony S-Log3 S-Gamut3", "SONY_SLOG3-SGAMUT3_to_ACES2065-1"),
    "sony_slog3_sgamut3cine": ("Sony S-Log3 S-Gamut3.Cine", "SONY_SLOG3-SGAMUT3.CINE_to_ACES2065-1"),
    "sony_slog3_venice_sgamut3": ("Sony Venice S-Log3 S-Gamut3", "SONY_SLOG3-SGAMUT3-VENICE_to_ACES2065-1"),
    "sony_slog3_venice_sgamut3cine": (
        "Sony Venice S-Log3 S-Gamut3.Cine",
        "SONY_SLOG3-SGAMUT3.CINE-VENICE_to_ACES2065-1",
    ),
    "red_log3g10_rwg": ("RED Log3G10 REDWideGamutRGB", "RED_LOG3G10-RWG_to_ACES2065-1"),
    "canon_clog2_cgamut": ("Canon Log 2 Cinema Gamut", "CANON_CLOG2-CGAMUT_to_ACES2065-1"),
    "canon_clog3_cgamut": ("Canon Log 3 Cinema Gamut", "CANON_CLOG3-CGAMUT_to_ACES2065-1"),
    "panasonic_vlog_vgamut": ("Panasonic V-Log V-Gamut", "PANASONIC_VLOG-VGAMUT_to_ACES2065-1"),
    "bmd_film_gen5": ("Blackmagic Film Gen 5 Wide Gamut", None),
}

ACES_WHITE = (0.32168, 0.33767)
D65 = (0.3127, 0.3290)
CAT02 = np.array(
    [[0.7328, 0.4296, -0.1624], [-0.7036, 1.6975, 0.0061], [0.0030, 0.0136, 0.9834]]
)
AP0 = ((0.7347, 0.2653), (0.0, 1.0), (0.0001, -0.0770))


def xy_to_xyz(xy):
    x, y = xy
    return np.array([x / y, 1.0, (1 - x - y) / y])


def rgb_to_xyz(primaries, white):
    p = np.array([xy_to_xyz(c) for c in primaries]).T
    s = np.linalg.solve(p, xy_to_xyz(white))
    return p * s


def cat02(src_white, dst_white):
    src = CAT02 @ xy_to_xyz(src_white)
    dst = CAT02 @ xy_to_xyz(dst_white)
    return np.linalg.inv(CAT02) @ np.diag(dst / src) @ CAT02


def gamut_to_ap0(primaries, white):
    """RGB in a camera gamut -> ACES2065-1, with CAT02 from the camera white to the ACES white."""
    return np.linalg.inv(rgb_to_xyz(AP0, ACES_WHITE)) @ cat02(white, ACES_WHITE) @ rgb_to_xyz(primaries, white)


def matrix_transform(m):
    m44 = np.identity(4)
    m44[:3, :3] = m
    return ocio.MatrixTransform(matrix=[float(v) for v in m44.flatten()])


def logc4_to_aces():
    # ARRI LogC4 specification (2022): E' = (log2(a*E + 64) - 6) / 14 * b + c above the break,
    # a straight line below it whose slope matches at the break (OCIO derives it the same way).
    a = (2**18 - 16) / 117.45
    b = (1023 - 95) / 1023
    c = 95 / 1023
    t = (2 ** (14 * (-c / b) + 6) - 64) / a
    curve = ocio.LogCameraTransform(
        base=2.0,
        logSideSlope=[b / 14] * 3,
        logSideOffset=[c - 6 * b / 14] * 3,
        linSideSlope=[a] * 3,
        linSideOffset=[64.0] * 3,
        linSideBreak=[t] * 3,
        direction=ocio.TRANSFORM_DIR_INVERSE,
    )
    awg4 = ((0.7347, 0.2653), (0.1424, 0.8576), (0.0991, -0.0308))
    return ocio.GroupTransform([curve, matrix_transform(gamut_to_ap0(awg4, D65))])


def bmd_gen5_to_aces():
    # Blackmagic Generation 5 Film: log = A ln(x + B) + C for x >= 0.005, D x + E below.
    A, B, C = 0.08692876065491224, 0.005494072432257808, 0.5300133392291939
    D = 8.283605932402494
    curve = ocio.LogCameraTransform(
        base=float(np.e),
        logSideSlope=[A] * 3,
        logSideOffset=[C] * 3,
        linSideSlope=[1.0] * 3,
        linSideOffset=[B] * 3,
        linSideBreak=[0.005] * 3,
        linearSlope=[D] * 3,
        direction=ocio.TRANSFORM_DIR_INVERSE,
    )
    wide_gamut = ((0.7177215, 0.3171181), (0.2280410, 0.8615690), (0.1005841, -0.0820452))
    return ocio.GroupTransform([curve, matrix_transform(gamut_to_ap0(wide_gamut, D65))])


def to_aces(camera_id):
    builtin = CAMERAS[camera_id][1]
    if builtin:
        return ocio.BuiltinTransform(style=builtin)
    return {"arri_logc4_awg4": logc4_to_aces, "bmd_film_gen5": bmd_gen5_to_aces}[camera_id]()


def build_config():
    config = ocio.Config.CreateRaw()
    config.setVersion(2, 1)
    config.setName("rushes")
    config.setDescription("Rushes: camera encodings -> ACES2065-1 -> ACES 1.0 SDR Video (Rec.709)")
    config.setSearchPath("")
    config.removeDisplayView("sRGB", "Raw")
    for cs in list(config.getColorSpaceNames()):
        config.removeColorSpace(cs)
    aces = ocio.ColorSpace(referenceSpace=ocio.REFERENCE_SPACE_SCENE, name="ACES2065-1")
    aces.setDescription("The ACES interchange space (AP0, linear): the reference")
    config.addColorSpace(aces)
    cct = ocio.ColorSpace(referenceSpace=ocio.REFERENCE_SPACE_SCENE, name="ACEScct")
    cct.setDescription("ACEScct: AP1, log with a toe; where CDL looks are applied")
    cct.setTransform(ocio.BuiltinTransform(style="ACEScct_to_ACES2065-1"), ocio.COLORSPACE_DIR_TO_REFERENCE)
    config.addColorSpace(cct)
    for camera_id, (name, _) in CAMERAS.items():
        cs = ocio.ColorSpace(referenceSpace=ocio.REFERENCE_SPACE_SCENE, name=camera_id)
        cs.setDescription(name)
        cs.setTransform(to_aces(camera_id), ocio.COLORSPACE_DIR_TO_REFERENCE)
        config.addColorSpace(cs)
    display = ocio.ColorSpace(referenceSpace=ocio.REFERENCE_SPACE_DISPLAY, name="Rec.1886 Rec.709 - Display")
    display.setTransform(
        ocio.BuiltinTransform(style="DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709"),
        ocio.COLORSPACE_DIR_FROM_REFERENCE,
    )
    config.addColorSpace(display)
    view = ocio.ViewTransform(
        referenceSpace=ocio.REFERENCE_SPACE_SCENE,
        name="ACES 1.0 - SDR Video",
        fromReference=ocio.BuiltinTransform(style="ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-VIDEO_1.0"),
    )
    config.addViewTransform(view)
    config.addSharedView("ACES 1.0 - SDR Video", "ACES 1.0 - SDR Video", "<USE_DISPLAY_NAME>")
    config.addDisplaySharedView("Rec.1886 Rec.709 - Display", "ACES 1.0 - SDR Video")
    config.setActiveDisplays("Rec.1886 Rec.709 - Display")
    config.setActiveViews("ACES 1.0 - SDR Video")
    config.setRole(ocio.ROLE_SCENE_LINEAR, "ACES2065-1")
    config.setRole("aces_interchange", "ACES2065-1")
    config.setRole("color_timing", "ACEScct")
    config.setRole(ocio.ROLE_DEFAULT, "ACES2065-1")
    config.validate()
    return config


DISPLAY = "Rec.1886 Rec.709 - Display"
VIEW = "ACES 1.0 - SDR Video"


def to_display(config, source):
    """CPU processor: `source` colour space -> ACES 1.0 SDR Video on Rec.709."""
    return config.getProcessor(source, DISPLAY, VIEW, ocio.TRANSFORM_DIR_FORWARD).getDefaultCPUProcessor()


def between(config, source, target):
    return config.getProcessor(source, target).getDefaultCPUProcessor()


def grid(size):
    axis = np.linspace(0.0, 1.0, size, dtype=np.float32)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")  # red varies fastest, as in .cube
    return np.ascontiguousarray(np.stack([r, g, b], axis=-1).reshape(-1, 3))


def pack(values, size):
    """
    The committed form of a LUT (a .cube of 65^3 entries is 7 MB of text; this is ~0.3 MB):
    gzip of b"RLUT", version 1, the size, then per channel (R, G, B) the entries as 16-bit codes
    (0..65535 for 0..1) stored as successive differences, low bytes then high bytes.
    packages/engine/src/color/lut-file.ts turns it back into a .cube for ffmpeg.
    """
    codes = np.round(np.clip(values, 0.0, 1.0) * 65535).astype(np.int32)
    planes = []
    for channel in range(3):
        delta = np.diff(codes[:, channel], prepend=0).astype("<i2").view("<u2")
        planes.append(np.concatenate([(delta & 0xFF).astype(np.uint8), (delta >> 8).astype(np.uint8)]))
    body = b"RLUT" + bytes([1, size]) + b"".join(p.tobytes() for p in planes)
    return gzip.compress(body, compresslevel=9, mtime=0)


def bake(processor, size):
    rgb = grid(size)
    processor.applyRGB(rgb)
    return rgb


def main():
    config = build_config()
    with open(os.path.join(HERE, "config.ocio"), "w", encoding="utf-8", newline="\n") as out:
        out.write(config.serialize())
    luts = os.path.join(HERE, "luts")
    os.makedirs(luts, exist_ok=True)

    def write(name, processor):
        with open(os.path.join(luts, f"{name}.lut.gz"), "wb") as out:
            out.write(pack(bake(processor, SIZE), SIZE))
        print(f"baked {name}", file=sys.stderr)

    for camera_id in CAMERAS:
        write(camera_id, between(config, camera_id, "ACEScct"))
    write("acescct_to_rec709", to_display(config, "ACEScct"))


if __name__ == "__main__":
    main()
