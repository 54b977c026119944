/**
 * The clip page's query, outside the 'use client' module so the server can send it for the
 * first paint (metadata, tasks and renditions arrive with the page).
 */
import { graphql } from '../../../gql/index.ts';

export const CLIP = graphql(`
  query ClipPage($id: ID!) {
    node(id: $id) {
      ... on Clip {
        id
        fileName
        originalPath
        state
        startTimecode
        endTimecode
        sizeBytes
        errorCode
        errorMessage
        frameRate {
          num
          den
          fps
        }
        checksums {
          algorithm
          value
        }
        roll {
          id
          name
          production {
            id
            code
            name
            role
          }
        }
        metadata {
          identity {
            clipName {
              ...V
            }
            reel {
              ...V
            }
            cameraUnit {
              ...V
            }
            recordDate {
              ...V
            }
            scene {
              ...V
            }
            take {
              ...V
            }
          }
          camera {
            make {
              ...V
            }
            model {
              ...V
            }
            serial {
              ...V
            }
            firmware {
              ...V
            }
          }
          lens {
            model {
              ...V
            }
            focalLengthMm {
              ...N
            }
            tStop {
              ...N
            }
            fNumber {
              ...N
            }
            focusDistanceM {
              ...N
            }
          }
          exposure {
            exposureIndex {
              ...N
            }
            shutterAngleDeg {
              ...N
            }
            shutterSpeedS {
              ...N
            }
            whiteBalanceK {
              ...N
            }
            tint {
              ...N
            }
            ndStops {
              ...N
            }
          }
          picture {
            width {
              ...N
            }
            height {
              ...N
            }
            codec {
              ...V
            }
            profile {
              ...V
            }
            bitDepth {
              ...N
            }
            chroma {
              ...V
            }
            pixelAspect {
              ...N
            }
            anamorphicSqueeze {
              ...N
            }
          }
          color {
            gamut {
              ...V
            }
            transfer {
              ...V
            }
            acesInputTransform {
              ...V
            }
            primaries {
              ...V
            }
          }
          time {
            startTimecode {
              ...V
            }
            endTimecode {
              ...V
            }
            durationFrames {
              ...N
            }
            dropFrame {
              value
              source
              detail
              conflicts {
                value
                source
              }
            }
          }
          audio {
            channels {
              ...N
            }
            sampleRateHz {
              ...N
            }
            bitDepth {
              ...N
            }
            scene {
              ...V
            }
            take {
              ...V
            }
            tape {
              ...V
            }
            note {
              ...V
            }
          }
          file {
            container {
              ...V
            }
            sizeBytes {
              ...N
            }
            originalPath {
              ...V
            }
          }
        }
        tasks {
          id
          kind
          state
          progress
          attempt
          errorCode
          errorMessage
          queuedAt
          startedAt
          finishedAt
        }
        renditions {
          name
          state
          sizeBytes
          codec
          width
          height
          downloadUrl
        }
      }
    }
  }

  fragment V on SourcedString {
    value
    source
    detail
    conflicts {
      value
      source
    }
  }

  fragment N on SourcedFloat {
    value
    source
    detail
    conflicts {
      value
      source
    }
  }
`);
