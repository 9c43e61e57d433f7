#include <deal.II/base/exceptions.h>

#include <mollifem/mollifier/convolution_operator.h>
#include <mollifem/mollifier/time_convolution.h>

namespace mollifem
{
  TimeConvolution::TimeConvolution(const MollifierParameters &parameters,
                                   const unsigned int         max_order)
    : parameters(parameters)
    , max_order(max_order)
  {
    AssertThrow(max_order <= 4,
                ExcMessage("Time derivatives are available up to order 4."));
    AssertThrow(parameters.radius.size() == 1,
                ExcMessage("The time kernel takes one radius."));
    this->parameters.bandwidth = MollifierParameters::Bandwidth::fixed;
  }



  void
  TimeConvolution::reinit(const std::vector<double> &times,
                          const std::vector<double> &target_times)
  {
    AssertThrow(times.size() >= 2,
                ExcMessage("A time derivative needs at least two snapshots."));
    for (unsigned int k = 1; k < times.size(); ++k)
      AssertThrow(times[k] > times[k - 1],
                  ExcMessage("The snapshot times must increase."));

    // The times as scattered 1D data, trapezoidal weights.
    std::vector<Point<1>> points;
    std::vector<double>   weights(times.size(), 0.);
    for (unsigned int k = 0; k < times.size(); ++k)
      {
        points.emplace_back(times[k]);
        if (k > 0)
          weights[k] += 0.5 * (times[k] - times[k - 1]);
        if (k + 1 < times.size())
          weights[k] += 0.5 * (times[k + 1] - times[k]);
      }

    Targets<1> targets;
    targets.communicator = MPI_COMM_SELF;
    targets.locally_owned_rows.set_size(target_times.size());
    targets.locally_owned_rows.add_range(0, target_times.size());
    for (const double s : target_times)
      {
        AssertThrow(s >= times.front() - 1e-12 * std::abs(times.front()) &&
                      s <= times.back() + 1e-12 * std::abs(times.back()),
                    ExcMessage("A target time lies outside the snapshots."));
        targets.points.emplace_back(s);
        targets.cell_sizes.push_back(0.);
      }

    std::vector<DifferentialOperator<1>> operators;
    for (unsigned int n = 0; n <= max_order; ++n)
      {
        MultiIndex<1> alpha{{n}};
        operators.emplace_back(alpha);
      }
    ConvolutionOperator<1> convolution(parameters, operators);
    convolution.reinit(points, weights, targets);

    matrices.assign(max_order + 1,
                    FullMatrix<double>(target_times.size(), times.size()));
    for (unsigned int n = 0; n <= max_order; ++n)
      {
        const auto &matrix = convolution.matrix(n);
        for (unsigned int j = 0; j < target_times.size(); ++j)
          for (auto entry = matrix.begin(j); entry != matrix.end(j); ++entry)
            matrices[n](j, entry->column()) = entry->value();
      }
  }



  const FullMatrix<double> &
  TimeConvolution::weights(const unsigned int order) const
  {
    AssertIndexRange(order, matrices.size());
    return matrices[order];
  }



  void
  TimeConvolution::apply(const unsigned int             order,
                         const unsigned int             j,
                         const std::vector<LA::Vector> &snapshots,
                         LA::Vector &                   result) const
  {
    const FullMatrix<double> &W = weights(order);
    AssertDimension(snapshots.size(), W.n());
    AssertIndexRange(j, W.m());
    result.reinit(snapshots.front(), /*omit_zeroing_entries=*/false);
    for (unsigned int k = 0; k < snapshots.size(); ++k)
      if (W(j, k) != 0.)
        result.add(W(j, k), snapshots[k]);
  }
} // namespace mollifem
