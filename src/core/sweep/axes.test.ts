import { describe, expect, it } from 'vitest';
import { presetConfig } from '../presets';
import { applyAxisValues, parseAxisSpec, resolveAxis } from './axes';

const mnist = presetConfig('w2s-mnist');
const labels = (path: string, values: string, base = mnist) => resolveAxis(base, { path, values }).values.map((v) => v.label);

describe('axis values', () => {
  it('reads PATH=VALUES', () => {
    expect(parseAxisSpec('data.supervisorSize=50,100')).toEqual({ path: 'data.supervisorSize', values: '50,100' });
    expect(parseAxisSpec(' student.loss = logconf:aMax=0.5 ')).toEqual({ path: 'student.loss', values: 'logconf:aMax=0.5' });
    expect(() => parseAxisSpec('data.supervisorSize')).toThrow('axis "data.supervisorSize": write PATH=VALUES');
  });

  it('generates evenly and geometrically spaced values, rounded for whole-number fields', () => {
    expect(labels('student.train.epochs', 'lin:2:10:5')).toEqual(['2', '4', '6', '8', '10']);
    expect(labels('student.train.learningRate', 'lin:0.001:0.002:3')).toEqual(['0.001', '0.0015', '0.002']);
    expect(labels('student.train.learningRate', 'log:1e-4:1e-2:3')).toEqual(['0.0001', '0.001', '0.01']);
    // 1, 10^(1/2) = 3.16228, 10
    expect(labels('student.train.learningRate', 'log:0.1:1:3')).toEqual(['0.1', '0.316228', '1']);
    expect(labels('data.supervisorSize', 'log:10:1000:3')).toEqual(['10', '100', '1000']);
    // 1, 1.41, 2, 2.83, 4 rounded to 1, 1, 2, 3, 4: the repeated 1 is dropped
    expect(labels('student.train.epochs', 'log:1:4:5')).toEqual(['1', '2', '3', '4']);
    expect(labels('student.train.epochs', 'lin:7:7:1')).toEqual(['7']);
    expect(labels('student.train.epochs', 'lin:10:2:3')).toEqual(['10', '6', '2']);
    expect(resolveAxis(mnist, { path: 'student.train.epochs', values: 'lin:1:3:3' }).kind).toBe('integer');
    expect(resolveAxis(mnist, { path: 'student.train.learningRate', values: '0.1' }).kind).toBe('number');
  });

  it('writes numbers and choices into their place, and a choice can set a field beside it', () => {
    const axis = resolveAxis(mnist, { path: 'weakLabels.kind', values: 'soft,hard:temperature=2' });
    expect(axis.kind).toBe('enum');
    expect(applyAxisValues(mnist, [axis.values[1]]).weakLabels).toEqual({ kind: 'hard', temperature: 2 });
    const sizes = resolveAxis(mnist, { path: 'data.transferSize', values: '1000, 2e3' });
    expect(sizes.values.map((v) => v.label)).toEqual(['1000', '2000']);
    expect(applyAxisValues(mnist, [sizes.values[1]]).data).toEqual({ ...mnist.data, transferSize: 2000 });
  });

  it('types a variant as TYPE, TYPE:N for its first number, or TYPE:field=value', () => {
    const base = presetConfig('w2s-copying'); // a linear supervisor, a 64x2 MLP student
    const supervisor = resolveAxis(base, { path: 'supervisor.model', values: 'linear,mlp:16,mlp:width=64:depth=2:activation=tanh,cnn:4' });
    expect(supervisor.kind).toBe('variant');
    const models = supervisor.values.map((v) => (applyAxisValues(base, [v]).supervisor as { model: unknown }).model);
    expect(models).toEqual([
      { type: 'linear' },
      { type: 'mlp', width: 16 },
      { type: 'mlp', width: 64, depth: 2, activation: 'tanh' },
      { type: 'cnn', filters: 4 },
    ]);
    // A variant of the base's own type keeps the base's other fields (depth 2); another type starts from its defaults.
    const student = resolveAxis(base, { path: 'student.model.type', values: 'mlp:8,linear' });
    expect((applyAxisValues(base, [student.values[0]]).student as { model: unknown }).model).toEqual({
      type: 'mlp',
      width: 8,
      depth: 2,
      activation: 'relu',
      dropout: 0,
    });
    expect(student.values.map((v) => v.replace)).toEqual([false, true]);
    // The pretrained student's probe: head is a choice, and :N sets the number beside it (headWidth).
    const head = resolveAxis(mnist, { path: 'student.model.head', values: 'linear,mlp:64,mlp:256' });
    expect(head.values.map((v) => (applyAxisValues(mnist, [v]).student as { model: unknown }).model)).toEqual([
      { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'linear', headWidth: 64 },
      { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'mlp', headWidth: 64 },
      { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'mlp', headWidth: 256 },
    ]);
    const losses = resolveAxis(mnist, { path: 'student.loss', values: 'xent,logconf:0.75,product:b=2' });
    expect(losses.values.map((v) => v.patch)).toEqual([{ type: 'xent' }, { type: 'logconf', aMax: 0.75 }, { type: 'product', b: 2 }]);
    expect(labels('data.dataset', 'mnist,fashion-mnist')).toEqual(['mnist', 'fashion-mnist']);
  });

  it("keeps a value out of its field's range with the reason, for the planner to refuse", () => {
    const axis = resolveAxis(mnist, { path: 'student.model.head', values: 'mlp:600,mlp:64' });
    expect(axis.values.map((v) => v.problem)).toEqual(['student.model.headWidth: must be at most 512 (allowed range 1 to 512; got 600)', null]);
    expect(resolveAxis(mnist, { path: 'student.train.epochs', values: '0,2.5' }).values.map((v) => v.problem)).toEqual([
      'student.train.epochs: must be at least 1 (allowed range 1 to 500; got 0)',
      'student.train.epochs: must be a whole number (got 2.5)',
    ]);
    expect(resolveAxis(mnist, { path: 'student.train.learningRate', values: 'log:1e-7:1:3' }).values[0].problem).toMatch(/must be at least 0.00001/);
  });

  it.each([
    [
      'student.model.width',
      '16',
      'axis student.model.width: not a setting of this weak-to-strong experiment: student.model has no field "width" while its type is "pretrained" (its fields: type, encoder, mode, head, headWidth)',
    ],
    ['student.nope', '1', 'student has no field "nope"'],
    ['constructor', '1', 'the config has no field "constructor"'],
    ['student.model.toString', '1', 'student.model has no field "toString"'],
    ['__proto__.x', '1', 'axis "__proto__.x": not a dotted config path'],
    ['student..train', '1', 'not a dotted config path'],
    ['kind', 'distillation', 'axis kind: only numbers, choices and variants (a model, a loss) can be swept; kind is none of them'],
    ['student.train', '1', 'student.train is none of them'],
    ['seed', '1,2', 'axis seed: seeds are not an axis; give them as seeds (--seeds 1-5)'],
    ['student.train.epochs', '', 'axis student.train.epochs: no values'],
    ['student.train.epochs', '1,,2', 'axis student.train.epochs: an empty value in "1,,2"'],
    ['student.train.epochs', '1,one', 'axis student.train.epochs: "one" is not a number'],
    ['student.train.epochs', '0x10', '"0x10" is not a number'],
    ['student.train.epochs', 'Infinity', '"Infinity" is not a number'],
    ['student.train.epochs', '2,2', 'axis student.train.epochs: the value 2 is given twice'],
    ['student.train.epochs', '2,2.0', 'the value 2 is given twice'],
    ['student.train.epochs', Array.from({ length: 101 }, (_, i) => i + 1).join(','), 'axis student.train.epochs: more than 100 values'],
    ['student.train.epochs', 'lin:1:10', 'axis student.train.epochs: "lin:1:10" is not lin:FROM:TO:COUNT'],
    ['student.train.epochs', 'lin:1:10:0', 'lin: COUNT must be 1 to 100 (got 0)'],
    ['student.train.epochs', 'lin:1:10:1000', 'lin: COUNT must be 1 to 100 (got 1000)'],
    ['student.train.learningRate', 'log:0:1:3', 'log: FROM and TO must be above 0 (got 0 and 1)'],
    ['weakLabels.kind', 'lin:1:2:2', 'axis weakLabels.kind: lin: generates numbers, and weakLabels.kind is not a number'],
    ['weakLabels.kind', 'soft,medium', 'axis weakLabels.kind: "medium" is not one of soft, hard'],
    ['weakLabels.kind', 'hard:temperature=hot', '"hot" is not a number'],
    ['weakLabels.kind', 'hard:kind=soft', 'no field "kind" here'],
    ['supervisor.model', 'transformer', 'axis supervisor.model: "transformer" is not one of its types (linear, mlp, cnn, pretrained)'],
    ['supervisor.model', 'linear:16', 'axis supervisor.model: "linear:16": there is no number to set with ":16"'],
    ['supervisor.model', 'mlp:height=3', '"mlp:height=3": no field "height" here (its fields: width, depth, activation, dropout)'],
    ['supervisor.model', 'mlp:16:width=8', '"mlp:16:width=8" sets width twice'],
    ['supervisor.model', 'mlp:__proto__=1', 'no field "__proto__" here'],
    ['supervisor.model', 'mlp:activation=swish', 'activation must be one of relu, tanh, sigmoid, elu'],
  ])('refuses %s=%s, saying why', (path, values, message) => {
    expect(() => resolveAxis(mnist, { path, values })).toThrow(message);
  });
});
