/** Card layouts from file names: vendors' folder structures, manifests, kind, multi-file clips. */
import { describe, expect, it } from 'vitest';
import { detectCardLayout } from '../src/card/layout.ts';

describe('detectCardLayout', () => {
  it.each([
    [
      ['XDROOT/Clip/C0001.MXF', 'XDROOT/Clip/C0001M01.XML', 'XDROOT/MEDIAPRO.XML'],
      'Sony XDCAM/XAVC (XDROOT)',
    ],
    [['PRIVATE/M4ROOT/CLIP/C0001.MP4', 'PRIVATE/M4ROOT/CLIP/C0001M01.XML'], 'Sony XAVC (PRIVATE/M4ROOT)'],
    [
      ['CONTENTS/VIDEO/0001AB.MXF', 'CONTENTS/AUDIO/0001AB00.MXF', 'CONTENTS/CLIP/0001AB.XML'],
      'Panasonic P2',
    ],
    [
      ['CONTENTS/CLIPS001/A001C001_230512AB_CANON.MXF', 'CONTENTS/CLIPS001/A001C001_230512AB_CANON.XML'],
      'Canon Cinema EOS (CONTENTS/CLIPS)',
    ],
    [['A001_0512AB.RDM/A001_C001_0512AB.RDC/A001_C001_0512AB_001.R3D'], 'RED (RDM/RDC)'],
    [['A001_05121432_C004.braw'], 'Blackmagic RAW'],
    [['A001R1AB/A001C003_230512_R1AB.mxf', 'A001R1AB/A001C003_230512_R1AB.xml'], 'ARRI'],
    [['clip01.mov', 'clip02.mov'], 'generic'],
  ])('%j is %s', (paths, layout) => {
    expect(detectCardLayout(paths).layout).toBe(layout);
  });

  it('tells sound rolls from camera rolls, and finds the camera unit and the manifests', () => {
    expect(detectCardLayout(['A101_1.WAV', 'A101_2.WAV', 'report.csv'])).toMatchObject({
      kind: 'sound',
      layout: 'sound recorder',
      manifests: 'none',
    });
    expect(detectCardLayout(['A001C001_230512_R1AB.mov', 'B001C001_230512_R1AB.mov'])).not.toHaveProperty(
      'cameraUnit',
    );
    expect(
      detectCardLayout([
        'A001C001_230512_R1AB.mov',
        'A001C002_230512_R1AB.mov',
        'ascmhl/0001_A001_2023-05-12_120000Z.mhl',
      ]),
    ).toMatchObject({
      kind: 'camera',
      cameraUnit: 'A',
      manifests: 'ascmhl',
    });
    expect(detectCardLayout(['A001.mhl', 'x.mov']).manifests).toBe('mhl');
  });

  it('groups the files a camera splits one clip into', () => {
    const red = 'A001_0512AB.RDM/A001_C001_0512AB.RDC/A001_C001_0512AB';
    expect(
      detectCardLayout([
        `${red}_002.R3D`,
        `${red}_001.R3D`,
        'A001_0512AB.RDM/A001_C002_0512AB.RDC/A001_C002_0512AB_001.R3D',
      ]).multiFileClips,
    ).toEqual([{ clip: red, files: [`${red}_001.R3D`, `${red}_002.R3D`] }]);
    expect(
      detectCardLayout([
        'CONTENTS/VIDEO/0001AB.MXF',
        'CONTENTS/AUDIO/0001AB00.MXF',
        'CONTENTS/AUDIO/0001AB01.MXF',
      ]).multiFileClips,
    ).toEqual([
      {
        clip: 'CONTENTS/0001AB',
        files: ['CONTENTS/AUDIO/0001AB00.MXF', 'CONTENTS/AUDIO/0001AB01.MXF', 'CONTENTS/VIDEO/0001AB.MXF'],
      },
    ]);
  });
});
