/**
 * Pod templates the kubectl generators never produce, built by hand the way gogo encodes them:
 * volumes of every tabled source, env and envFrom, resources, probes, lifecycle, security contexts,
 * scheduling, and a StatefulSet's claim templates. Each expected value is the JSON Go would write.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeProtobufObject, PROTOBUF_MAGIC, type UnknownField } from './index.js'
import { WireWriter } from './wire-writer.js'

type Build = (w: WireWriter) => WireWriter

function envelope(apiVersion: string, kind: string, raw: Build): Uint8Array {
  const w = new WireWriter().message(1, t => t.string(1, apiVersion).string(2, kind)).message(2, raw)
  return Uint8Array.from([...PROTOBUF_MAGIC, ...w.finish()])
}

const quantity =
  (field: number, name: string, value: string): Build =>
  w =>
    w.message(field, e => e.string(1, name).message(2, q => q.string(1, value)))
const intOrString =
  (field: number, v: number | string): Build =>
  w =>
    w.message(field, p => (typeof v === 'number' ? p.varint(1, 0).varint(2, v) : p.varint(1, 1).string(3, v)))

// Volume {1 name, 2 VolumeSource (inlined)}; VolumeSource numbers: 1 hostPath, 2 emptyDir, 6 secret,
// 10 persistentVolumeClaim, 19 configMap, 26 projected.
const volumes: Build = w =>
  w
    .message(1, v => v.string(1, 'scratch').message(2, s => s.message(2, e => e.string(1, ''))))
    .message(1, v => v.string(1, 'host').message(2, s => s.message(1, h => h.string(1, '/var/log').string(2, ''))))
    .message(1, v =>
      v.string(1, 'conf').message(2, s =>
        s.message(19, c =>
          c
            .message(1, r => r.string(1, 'app-config'))
            .message(2, k => k.string(1, 'app.conf').string(2, 'etc/app.conf'))
            .varint(3, 0o644),
        ),
      ),
    )
    .message(1, v => v.string(1, 'creds').message(2, s => s.message(6, c => c.string(1, 'db').varint(4, true))))
    .message(1, v =>
      v.string(1, 'data').message(2, s => s.message(10, c => c.string(1, 'data-web-0').varint(2, false))),
    )
    .message(1, v =>
      v
        .string(1, 'token')
        .message(2, s =>
          s.message(26, p =>
            p.message(1, src => src.message(4, t => t.string(1, 'api').varint(2, 3600).string(3, 'token'))),
          ),
        ),
    )
    // gcePersistentDisk (3) is not tabled: skipped and reported.
    .message(1, v => v.string(1, 'legacy').message(2, s => s.message(3, g => g.string(1, 'pd'))))

const container: Build = c =>
  c
    .string(1, 'app')
    .string(2, 'nginx:1.27')
    .string(5, '')
    .message(6, p => p.string(1, 'http').varint(2, 0).varint(3, 80).string(4, 'TCP').string(5, ''))
    .message(7, e => e.string(1, 'MODE').string(2, 'prod'))
    .message(7, e =>
      e.string(1, 'POD_NAME').message(3, s => s.message(1, f => f.string(1, 'v1').string(2, 'metadata.name'))),
    )
    .message(7, e =>
      e
        .string(1, 'LEVEL')
        .message(3, s => s.message(3, k => k.message(1, r => r.string(1, 'app-config')).string(2, 'level'))),
    )
    .message(19, f => f.string(1, 'DB_').message(3, s => s.message(1, r => r.string(1, 'db'))))
    .message(8, r => {
      quantity(1, 'memory', '128Mi')(r)
      quantity(2, 'cpu', '100m')(r)
    })
    .message(9, m => m.string(1, 'conf').varint(2, true).string(3, '/etc/app').string(4, ''))
    .message(10, p =>
      p.message(1, h => h.message(2, g => intOrString(2, 'http')(g.string(1, '/healthz')))).varint(3, 2),
    )
    .message(11, p => p.message(1, h => h.message(3, t => intOrString(1, 80)(t))).varint(4, 5))
    .message(22, p => p.message(1, h => h.message(1, e => e.string(1, 'true'))).varint(7, 30))
    .message(12, l => l.message(2, h => h.message(4, s => s.varint(1, 5))))
    .message(15, s =>
      s
        .message(1, cap => cap.string(2, 'ALL'))
        .varint(4, 0)
        .varint(7, false),
    )
    .string(13, '/dev/termination-log')
    .string(14, 'IfNotPresent')
    .varint(16, false)

const podSpec: Build = s =>
  volumes(s)
    .message(2, container)
    .string(3, 'Always')
    .varint(4, 30)
    .mapEntry(7, 'disk', 'ssd')
    .message(14, sc => sc.varint(5, 2000))
    .message(18, a =>
      a.message(1, na =>
        na.message(1, sel =>
          sel.message(1, term => term.message(1, r => r.string(1, 'zone').string(2, 'In').string(3, 'a'))),
        ),
      ),
    )
    .message(22, t => t.string(1, 'dedicated').string(2, 'Exists').string(4, 'NoSchedule').varint(5, 0))

test('a StatefulSet with a full pod template and a claim template', () => {
  const unknown: UnknownField[] = []
  const body = envelope('apps/v1', 'StatefulSet', w =>
    w
      .message(1, m => m.string(1, 'web'))
      .message(2, spec =>
        spec
          .varint(1, 3)
          .message(2, sel => sel.mapEntry(1, 'app', 'web'))
          .message(3, t => t.message(1, m => m.mapEntry(11, 'app', 'web')).message(2, podSpec))
          .message(4, pvc =>
            pvc
              .message(1, m => m.string(1, 'data'))
              .message(2, ps =>
                ps
                  .string(1, 'ReadWriteOnce')
                  .message(2, r => quantity(2, 'storage', '1Gi')(r))
                  .string(3, '')
                  .string(5, ''),
              ),
          )
          .string(5, 'web')
          .string(6, 'OrderedReady')
          .message(7, u => u.string(1, 'RollingUpdate').message(2, r => r.varint(1, 0)))
          .varint(9, 0),
      ),
  )
  const got = decodeProtobufObject(body, { onUnknownField: u => unknown.push(u) })
  const spec = got.object.spec as Record<string, unknown>
  assert.deepEqual(spec.volumeClaimTemplates, [
    {
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
    },
  ])
  assert.equal(spec.replicas, 3)
  assert.equal(spec.serviceName, 'web')
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } })
  assert.equal('minReadySeconds' in spec, false)

  const template = spec.template as { metadata: unknown; spec: Record<string, unknown> }
  assert.deepEqual(template.metadata, { labels: { app: 'web' } })
  assert.deepEqual(template.spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'host', hostPath: { path: '/var/log', type: '' } },
    {
      name: 'conf',
      configMap: { name: 'app-config', items: [{ key: 'app.conf', path: 'etc/app.conf' }], defaultMode: 420 },
    },
    { name: 'creds', secret: { secretName: 'db', optional: true } },
    { name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } },
    {
      name: 'token',
      projected: { sources: [{ serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } }] },
    },
    { name: 'legacy' },
  ])
  assert.deepEqual(unknown, [{ path: 'spec.template.spec.volumes[6]', message: 'VolumeSource', field: 3, wireType: 2 }])

  const { volumes: _, containers, ...rest } = template.spec
  assert.deepEqual(rest, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    nodeSelector: { disk: 'ssd' },
    securityContext: { fsGroup: 2000 },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
        },
      },
    },
    tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 0 }],
  })
  assert.deepEqual(containers, [
    {
      name: 'app',
      image: 'nginx:1.27',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      env: [
        { name: 'MODE', value: 'prod' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'level' } } },
      ],
      envFrom: [{ prefix: 'DB_', secretRef: { name: 'db' } }],
      resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'conf', readOnly: true, mountPath: '/etc/app' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, timeoutSeconds: 2 },
      readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
      startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 30 },
      lifecycle: { preStop: { sleep: { seconds: 5 } } },
      securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 0, allowPrivilegeEscalation: false },
      terminationMessagePath: '/dev/termination-log',
      imagePullPolicy: 'IfNotPresent',
    },
  ])
})

test('a Job with a pod failure policy (packed int32 exit codes) and an indexed completion mode', () => {
  const body = envelope('batch/v1', 'Job', w =>
    w
      .message(1, m => m.string(1, 'train'))
      .message(2, spec =>
        spec
          .varint(1, 2)
          .varint(7, 0)
          .message(11, p =>
            p.message(1, r =>
              r.string(1, 'FailJob').message(2, c => c.string(1, 'main').string(2, 'In').packed(3, [1, 42, -1])),
            ),
          )
          .message(6, t =>
            t.message(2, ps => ps.message(2, c => c.string(1, 'main').string(2, 'busybox')).string(3, 'Never')),
          )
          .string(9, 'Indexed'),
      ),
  )
  assert.deepEqual(decodeProtobufObject(body).object.spec, {
    parallelism: 2,
    backoffLimit: 0,
    podFailurePolicy: {
      rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1, 42, -1] } }],
    },
    template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } },
    completionMode: 'Indexed',
  })
})
