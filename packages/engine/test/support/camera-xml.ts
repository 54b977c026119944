/** Hand-built camera headers and sidecar documents for the camera-truth tests. */

/** A DPX header as SMPTE 268M lays it out, in either byte order. */
export function dpxHeader(bigEndian: boolean): Buffer {
  const b = Buffer.alloc(2048, 0);
  const u32 = (o: number, v: number) => (bigEndian ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const u16 = (o: number, v: number) => (bigEndian ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
  const f32 = (o: number, v: number) => (bigEndian ? b.writeFloatBE(v, o) : b.writeFloatLE(v, o));
  b.write(bigEndian ? 'SDPX' : 'XPDS', 0, 'latin1');
  u32(4, 2048);
  b.write('V2.0', 8, 'latin1');
  b.write('A001C001_0086400.dpx', 36, 'latin1');
  b.write('2026:12:03:10:11:12', 136, 'latin1');
  b.write('Scanner Software 4.2', 160, 'latin1');
  b.write('Feature X', 260, 'latin1');
  b.write('(c) Studio', 460, 'latin1');
  u16(768, 0);
  u16(770, 1);
  u32(772, 4096);
  u32(776, 2160);
  b[800] = 50;
  b[801] = 3;
  b[802] = 1;
  b[803] = 10;
  b.write('ALEXA 35', 1556, 'latin1');
  b.write('K1.71234', 1588, 'latin1');
  u32(1628, 2);
  u32(1632, 1);
  f32(1724, 24);
  f32(1728, 172.8);
  b.write('Slate 12A', 1764, 'latin1');
  u32(1920, 0x10203004);
  u32(1924, 0x12345678);
  b[1928] = 0;
  b[1929] = 0;
  f32(1940, 23.976);
  return b;
}

/** An M01.XML as current Sony cameras write it (element names per the NonRealTimeMeta schema). */
export const SONY_NRT = `<?xml version="1.0" encoding="UTF-8"?>
<NonRealTimeMeta xmlns="urn:schemas-professionalDisc:nonRealTimeMeta:ver.2.20" xmlns:lib="urn:schemas-professionalDisc:lib:ver.2.10" lastUpdate="2026-12-03T10:00:20+01:00">
	<TargetMaterial umidRef="060A2B340101010501010D43130000000123456789ABCDEF0123456789ABCDEF"/>
	<Duration value="4380"/>
	<LtcChangeTable tcFps="25" halfStep="false">
		<LtcChange frameCount="0" value="17305719" status="increment"/>
		<LtcChange frameCount="4379" value="21250020" status="end"/>
	</LtcChangeTable>
	<CreationDate value="2026-12-03T10:00:00+01:00"/>
	<VideoFormat>
		<VideoRecPort port="DIRECT"/>
		<VideoFrame videoCodec="AVC_3840_2160_H422IP@L51" captureFps="25p" formatFps="25p"/>
		<VideoLayout pixel="3840" numOfVerticalLine="2160" aspectRatio="16:9"/>
	</VideoFormat>
	<AudioFormat numOfChannel="4">
		<AudioRecPort port="DIRECT" audioCodec="LPCM24" trackDst="CH1"/>
	</AudioFormat>
	<Device manufacturer="Sony" modelName="ILME-FX6V" serialNo="5012345"/>
	<Lens modelName="FE 24-70mm F2.8 GM II"/>
	<RecordingMode type="normal" cacheRec="false"/>
	<AcquisitionRecord>
		<Group name="CameraUnitMetadataSet">
			<Item name="CaptureGammaEquation" value="s-log3-cine"/>
			<Item name="CaptureColorPrimaries" value="s-gamut3-cine"/>
			<Item name="ISOSensitivity" value="800"/>
		</Group>
	</AcquisitionRecord>
</NonRealTimeMeta>
`;

/** A P2 clip XML as VariCam / AU-EVA1 cameras write it. */
export const P2_CLIP = `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<P2Main xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:schemas-Professional-Plug-in:P2:ClipMetadata:v3.1">
  <ClipContent>
    <ClipName>0001AB</ClipName>
    <GlobalClipID>060A2B340101010501010D4313000000AAAA</GlobalClipID>
    <Duration>240</Duration>
    <EditUnit>1001/24000</EditUnit>
    <EssenceList>
      <Video>
        <VideoFormat>MXF</VideoFormat>
        <Codec Class="4444">AVC-I_4K/23.98p</Codec>
        <FrameRate>23.98p</FrameRate>
        <StartTimecode>14:02:11:05</StartTimecode>
        <StartBinaryGroup>00000000</StartBinaryGroup>
        <AspectRatio>16:9</AspectRatio>
      </Video>
      <Audio><AudioFormat>MXF</AudioFormat><SamplingRate>48000</SamplingRate><BitsPerSample>24</BitsPerSample></Audio>
      <Audio><AudioFormat>MXF</AudioFormat><SamplingRate>48000</SamplingRate><BitsPerSample>24</BitsPerSample></Audio>
    </EssenceList>
    <ClipMetadata>
      <UserClipName>0001AB</UserClipName>
      <Access><CreationDate>2026-12-03T09:15:00+01:00</CreationDate></Access>
      <Device><Manufacturer>Panasonic</Manufacturer><SerialNo.>B5TDA0123</SerialNo.><ModelName>AU-V35C1G</ModelName></Device>
      <Shoot><StartDate>2026-12-03T09:14:50+01:00</StartDate></Shoot>
      <Scenario><SceneNo.>12</SceneNo.><TakeNo.>3</TakeNo.></Scenario>
    </ClipMetadata>
  </ClipContent>
  <UserArea>
    <AcquisitionMetadata xmlns="urn:schemas-Professional-Plug-in:P2:CameraMetadata:v1.2">
      <CameraUnitMetadata>
        <ISOSensitivity>800</ISOSensitivity>
        <WhiteBalanceColorTemperature>5600K</WhiteBalanceColorTemperature>
        <Gamma><CaptureGamma>V-Log</CaptureGamma></Gamma>
        <Gamut><CaptureGamut>V-Gamut</CaptureGamut></Gamut>
      </CameraUnitMetadata>
    </AcquisitionMetadata>
  </UserArea>
</P2Main>
`;
