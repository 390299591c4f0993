// One ChannelAdapter in front of many: each call goes to the adapter that serves its channel (a
// partner's HTTP content API, the simulator, the offline task queue). Activities receive this one
// object and never need to know how a given channel is reached; the registry decides that.
import {
  ChannelError,
  type ChannelAdapter,
  type ChannelOperation,
  type DeliverRequest,
  type DeliveryReceipt,
  type PublishReceipt,
  type PublishRequest,
  type ReadBackResult,
  type WithdrawRequest,
} from './adapter';

/** Returns the adapter for a channel, or undefined when the channel is not known. */
export type ChannelAdapterResolver = (channelCode: string) => ChannelAdapter | undefined;

export class RoutingChannelAdapter implements ChannelAdapter {
  constructor(private readonly resolve: ChannelAdapterResolver) {}

  async publish(r: PublishRequest): Promise<PublishReceipt> {
    return this.route(r.channelCode, 'publish').publish(r);
  }

  async readBack(channelCode: string, placementId: string): Promise<ReadBackResult> {
    return this.route(channelCode, 'readBack').readBack(channelCode, placementId);
  }

  async withdraw(r: WithdrawRequest): Promise<void> {
    return this.route(r.channelCode, 'withdraw').withdraw(r);
  }

  async deliver(r: DeliverRequest): Promise<DeliveryReceipt> {
    return this.route(r.channelCode, 'deliver').deliver(r);
  }

  private route(channelCode: string, operation: ChannelOperation): ChannelAdapter {
    const adapter = this.resolve(channelCode);
    // An unknown channel will not become known by retrying the same activity.
    if (!adapter) {
      throw new ChannelError(`no adapter configured for channel ${channelCode}`, {
        kind: 'rejected',
        channelCode,
        operation,
      });
    }
    return adapter;
  }
}
